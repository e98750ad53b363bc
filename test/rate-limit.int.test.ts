// Rate limits in the database (lib/rate-limit.ts) and the checkout's limits on top of them, against the real
// PostgreSQL and the Stripe sandbox (test/global-setup.ts).
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recheckBeforePayment, startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { countRequest } from "@/lib/rate-limit";
import { cartWith, checkoutDetails, testProduct } from "./support/catalog";

// A client address from the documentation range, a new one each time.
const newAddress = () => `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;

describe("rate limits in the database", () => {
  it("requests racing for the last places never exceed the limit, and refused ones are not kept", async () => {
    const limit = { key: `test:${randomUUID()}`, max: 5, windowMs: 60_000 };
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => countRequest([limit])));
    const admitted = verdicts.filter((verdict) => verdict.ok).length;
    expect(admitted).toBeLessThanOrEqual(5);
    expect(await prisma.rateLimitHit.count({ where: { key: limit.key } })).toBe(admitted);
    // The places the race left free are taken one by one, and then no more.
    for (let place = admitted; place < 5; place += 1) expect((await countRequest([limit])).ok).toBe(true);
    expect(await countRequest([limit])).toMatchObject({ ok: false });
  });

  it("hits older than the window no longer count; a refusal says when the oldest counted one leaves it", async () => {
    const limit = { key: `test:${randomUUID()}`, max: 2, windowMs: 10 * 60_000 };
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo);
    expect((await countRequest([limit], at(21 * 60_000))).ok).toBe(true);
    expect((await countRequest([limit], at(20 * 60_000))).ok).toBe(true);
    expect((await countRequest([limit], at(4 * 60_000))).ok).toBe(true);
    expect((await countRequest([limit], at(3 * 60_000))).ok).toBe(true);
    expect(await countRequest([limit], at(0))).toEqual({ ok: false, retryAt: new Date(now + 6 * 60_000) });
  });
});

describe("checkout starts", () => {
  it("a cart's 21st start within ten minutes is refused with when to try again; another cart and a press of Pay are not", async () => {
    const item = await testProduct(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    for (let start = 1; start <= 20; start += 1) expect((await startCheckout(cartId, checkoutDetails)).ok).toBe(true);
    const refused = await startCheckout(cartId, checkoutDetails);
    expect(refused).toMatchObject({ ok: false, code: "rate_limited" });
    expect(refused.ok ? "" : refused.error).toMatch(/^Too many checkout attempts\. Please try again in (10|9) minutes\.$/);

    const other = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    expect((await startCheckout(other, checkoutDetails)).ok).toBe(true);
    // The re-check before paying has a limit of its own: the shopper who started 20 times can still pay.
    const order = await prisma.order.findFirstOrThrow({ where: { cartId, status: "pending" } });
    expect(await recheckBeforePayment(cartId, order.id, order.total)).toMatchObject({ ok: true, changed: false });
  });

  it("an address's 61st start within ten minutes is refused whatever the cart; another address is not", async () => {
    const item = await testProduct(10);
    const address = newAddress();
    const carts = await Promise.all([1, 2, 3].map(() => cartWith([{ variantId: item.variantId, quantity: 1 }])));
    // 60 starts spread over three carts, as a script would spread them.
    await Promise.all(
      carts.map(async (cartId) => {
        for (let start = 1; start <= 20; start += 1)
          expect((await startCheckout(cartId, checkoutDetails, { clientIp: address })).ok).toBe(true);
      }),
    );
    const fresh = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    expect(await startCheckout(fresh, checkoutDetails, { clientIp: address })).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await startCheckout(fresh, checkoutDetails, { clientIp: newAddress() })).ok).toBe(true);
  });

  it("a malformed start is refused before it is counted", async () => {
    const item = await testProduct(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    for (let start = 1; start <= 25; start += 1)
      expect(await startCheckout(cartId, { ...checkoutDetails, email: "nope" })).toMatchObject({ code: "invalid_fields" });
    expect((await startCheckout(cartId, checkoutDetails)).ok).toBe(true);
  });
});
