// `npm run staff:create -- --email owner@example.com [--role owner|staff|viewer] [--name "Ada"]`: creates a staff
// account (or gives an existing one this role and a new password, re-enabling it), e.g. the first owner of a
// deployment. The password is read from standard input (not the command line, which shell history and `ps`
// would keep). Run under the react-server condition, like reconcile, so the shop's modules load as in Next.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { isStaffRole } from "@/lib/auth/roles";
import { createStaff, MIN_PASSWORD_LENGTH } from "@/lib/auth/staff";

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string", default: "owner" }, name: { type: "string" } },
});
const email = values.email?.trim() ?? "";
if (!/^[^@\s]+@[^@\s]+$/.test(email) || !isStaffRole(values.role)) {
  console.error("usage: npm run staff:create -- --email someone@example.com [--role owner|staff|viewer] [--name NAME]");
  process.exit(2);
}
const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
const password = (await rl.question(`Password for ${email}: `)).trim();
rl.close();
if (password.length < MIN_PASSWORD_LENGTH) {
  console.error(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  process.exit(2);
}
const staff = await createStaff({ email, role: values.role, password, name: values.name });
console.log(`${staff.email} can sign in at /admin as ${staff.role}.`);
process.exit(0);
