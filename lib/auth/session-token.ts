import { createHmac, timingSafeEqual } from "node:crypto";

// A staff session is a signed token: base64url(JSON payload) "." base64url(HMAC-SHA256). Stateless, so
// any app instance with the same secret accepts it; the expiry inside is checked on every request.

export type SessionPayload = { email: string; exp: number };

function sign(data: string, secret: string): string {
  return createHmac("sha256", secret).update(data).digest("base64url");
}

export function createSessionToken(email: string, secret: string, ttlSeconds: number, now = Date.now()): string {
  const payload: SessionPayload = { email, exp: Math.floor(now / 1000) + ttlSeconds };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data, secret)}`;
}

export function verifySessionToken(token: string | undefined, secret: string, now = Date.now()): SessionPayload | null {
  if (!token || token.length > 1024) return null;
  const [data, signature, extra] = token.split(".");
  if (!data || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(data, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const payload = JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as Partial<SessionPayload>;
    if (typeof payload.email !== "string" || typeof payload.exp !== "number") return null;
    return payload.exp > Math.floor(now / 1000) ? { email: payload.email, exp: payload.exp } : null;
  } catch {
    return null;
  }
}
