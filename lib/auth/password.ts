import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// Staff passwords are stored as scrypt hashes: "scrypt$N$r$p$<salt base64url>$<hash base64url>".
// Make one with `npm run admin:hash-password`.

const PARAMS = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

// scrypt runs on libuv's thread pool (4 threads by default), which file reads, DNS and zlib share: 40 sign-ins
// at once used to hold every thread and stall unrelated requests for seconds. At most this many hashes run at
// a time per process; the rest wait their turn in order.
export const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: Array<() => void> = [];

/** Hashes running and waiting in this process now. */
export function hashLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, or free it.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  // Stored parameters come from our own hashes; cap them anyway so a bad row cannot ask for gigabytes.
  if (N > 1 << 20 || r > 32 || p > 16 || keyLength > 128) return Promise.reject(new Error("scrypt parameters out of range"));
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password, salt, keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p, PARAMS.keyLength);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export function isPasswordHash(value: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/.test(value);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split("$") as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(actual, expected);
}
