// `npm run lock:optional-platforms` after changing dependencies.
// This machine's npm registry does not serve the other platforms' optional binaries (darwin, win32, …
// builds of next/swc, tailwind's oxide, rollup), so `npm install` leaves them out of package-lock.json,
// and `npm ci` then refuses the lock as out of sync. This adds an entry for every optional dependency the
// lock names but lacks; npm ci skips those it cannot install, as it does for any optional dependency.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, optional: true };
    added += 1;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} optional platform entries added`);
