// `npm run admin:hash-password` prints an scrypt hash for ADMIN_PASSWORD_HASH. The password is read from
// standard input (not the command line, which shell history and `ps` would keep).
import { createInterface } from "node:readline/promises";
import { hashPassword } from "../lib/auth/password";

const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
const password = (await rl.question("Password for the staff account: ")).trim();
rl.close();
if (password.length < 12) {
  console.error("Use at least 12 characters.");
  process.exit(2);
}
console.log(await hashPassword(password));
