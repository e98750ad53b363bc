import { describe, expect, it } from "vitest";
import { cartAfterPost, readPosted } from "@/components/cart/posted";
import { buildCartView, emptyCart, type CartResult } from "@/lib/cart/rules";

// The address a plain cart form post is redirected to, and what the cart page reads back from it.

const cart = buildCartView([
  {
    quantity: 2,
    product: {
      id: "p_mug",
      slug: "mug",
      name: "Mug",
      image: "/mug.svg",
      price: 1800,
      currency: "usd",
      active: true,
      categoryId: null,
      taxClass: "standard",
    },
    variant: { id: "mug", sku: "mug", price: null, stock: 5, active: true, options: "", weightGrams: 0 },
  },
]);
const ok: CartResult = { ok: true, cart };
const refused = (code: "sold_out" | "insufficient_stock" | "not_in_cart"): CartResult => ({ ok: false, code, error: "words" });

/** What the cart page makes of the address a post was redirected to. */
function landing(href: string, view = cart) {
  return readPosted(Object.fromEntries(new URL(href, "http://shop.test").searchParams), view);
}

describe("after a plain form post", () => {
  it("an add lands on the cart with the units now in it", () => {
    const href = cartAfterPost("add", "mug", ok);
    expect(href).toMatch(/^\/cart\?/);
    expect(landing(href)).toEqual({ notice: expect.objectContaining({ kind: "added", inCart: 2 }), lineErrors: {} });
  });

  it("a refused add lands with its code above the cart", () => {
    const { notice } = landing(cartAfterPost("add", "pen", refused("sold_out")));
    expect(notice).toMatchObject({ kind: "refused", code: "sold_out" });
  });

  it("a refused line change lands with its code beside the line", () => {
    const { notice, lineErrors } = landing(cartAfterPost("update", "mug", refused("insufficient_stock")));
    expect(notice).toBeNull();
    expect(lineErrors.mug).toMatchObject({ code: "insufficient_stock" });
  });

  it("a refused change to a line that is gone is said above the cart", () => {
    const { notice } = landing(cartAfterPost("update", "mug", refused("not_in_cart")), emptyCart());
    expect(notice).toMatchObject({ kind: "refused", code: "not_in_cart" });
  });

  it("a change that went through needs no words", () => {
    expect(landing(cartAfterPost("update", "mug", ok))).toEqual({ notice: null, lineErrors: {} });
    expect(landing(cartAfterPost("remove", "mug", ok))).toEqual({ notice: null, lineErrors: {} });
  });

  it("never sends the sentence, and ignores what is not one of its codes", () => {
    expect(cartAfterPost("add", "mug", refused("sold_out"))).not.toContain("words");
    for (const href of ["/cart", "/cart?add=mug", "/cart?add=mug&outcome=Call+us", "/cart?outcome=ok", "/cart?add=mug&outcome=toString"]) {
      expect(landing(href), href).toEqual({ notice: null, lineErrors: {} });
    }
  });
});
