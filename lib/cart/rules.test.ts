import { describe, expect, it } from "vitest";
import {
  addProblem,
  buildCartView,
  heldUnits,
  lineLimit,
  maxQuantityFor,
  newCartId,
  parseAddItem,
  parseCartId,
  parseRemoveItem,
  parseSetQuantity,
  productProblem,
  quantityProblem,
  refusalFromCode,
  saleProblem,
  withHeld,
} from "@/lib/cart/rules";

// The rules are pure functions of their arguments: no database, no mocks.

const mug = { name: "Mug", active: true, stock: 40, currency: "usd" };

/** The parsed quantity, or the refusal's code. */
function parseQuantity(quantity: unknown): number | string {
  const parsed = parseSetQuantity({ variantId: "p1", quantity });
  return parsed.ok ? parsed.data.quantity : parsed.problem.code;
}

describe("cart ids", () => {
  it("are 256 random bits in base64url, different every time", () => {
    const id = newCartId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, "base64url")).toHaveLength(32);
    expect(newCartId()).not.toBe(id);
  });

  it("accept only the shape we issue, so forged or malformed cookies mean no cart", () => {
    const id = newCartId();
    expect(parseCartId(id)).toBe(id);
    expect(parseCartId(undefined)).toBeNull();
    expect(parseCartId("")).toBeNull();
    expect(parseCartId("abc")).toBeNull();
    expect(parseCartId(`${id}x`)).toBeNull();
    expect(parseCartId("' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).toBeNull();
    expect(parseCartId(42)).toBeNull();
  });
});

describe("quantity input", () => {
  it("accepts whole numbers from 1 to 99, as numbers or form text", () => {
    expect(parseQuantity(1)).toBe(1);
    expect(parseQuantity("7")).toBe(7);
    expect(parseQuantity(" 99 ")).toBe(99);
  });

  it("refuses what is not a whole number as invalid input", () => {
    for (const quantity of [0, "-3", "2.5", 2.5, "", "abc", "1e3", Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}]) {
      expect(parseQuantity(quantity), String(quantity)).toBe("invalid_input");
    }
  });

  it("refuses more than 99 as over the line limit", () => {
    expect(parseQuantity(100)).toBe("quantity_limit");
    expect(parseQuantity("500")).toBe("quantity_limit");
    expect(parseQuantity(1e12)).toBe("quantity_limit");
  });

  it("says what is wrong in words too", () => {
    for (const quantity of [0, 100, "abc"]) {
      const refused = parseSetQuantity({ variantId: "p1", quantity });
      expect(refused.ok ? "" : refused.problem.message).not.toBe("");
    }
  });

  it("adds one unit when no quantity is given", () => {
    expect(parseAddItem({ variantId: "p1" })).toEqual({ ok: true, data: { variantId: "p1", quantity: 1 } });
    // A form field left out arrives as undefined.
    expect(parseAddItem({ variantId: "p1", quantity: undefined })).toEqual({ ok: true, data: { variantId: "p1", quantity: 1 } });
  });

  it("refuses a missing, empty or oversized variant id, and input that is not an object", () => {
    for (const input of [{ quantity: 1 }, { variantId: "", quantity: 1 }, { variantId: "x".repeat(65) }, null, "p1", [1]]) {
      const parsed = parseAddItem(input);
      expect(parsed.ok ? null : parsed.problem.code, JSON.stringify(input)).toBe("invalid_input");
    }
    expect(parseRemoveItem({ variantId: "p1" })).toEqual({ ok: true, data: { variantId: "p1" } });
    expect(parseRemoveItem({}).ok).toBe(false);
  });

  it("drops fields it does not know, such as a client-sent price", () => {
    expect(parseAddItem({ variantId: "p1", quantity: 2, price: 1 })).toEqual({ ok: true, data: { variantId: "p1", quantity: 2 } });
  });
});

describe("what may go in a cart", () => {
  it("refuses unknown, inactive, sold-out and foreign-currency products", () => {
    expect(productProblem(null)?.code).toBe("unavailable");
    expect(productProblem({ ...mug, active: false })?.code).toBe("unavailable");
    expect(productProblem({ ...mug, stock: 0 })?.code).toBe("sold_out");
    expect(productProblem({ ...mug, currency: "jpy" })?.code).toBe("unavailable");
    expect(productProblem(mug)).toBeNull();
  });

  it("judges sale apart from stock, for checkout", () => {
    const soldOutMug = { ...mug, stock: 0 };
    expect(saleProblem(soldOutMug)).toBeNull();
    expect(saleProblem({ ...mug, active: false })?.code).toBe("unavailable");
  });

  it("limits a line to the stock and to 99", () => {
    expect(quantityProblem(40, mug)).toBeNull();
    expect(quantityProblem(41, mug)?.code).toBe("insufficient_stock");
    expect(quantityProblem(100, { ...mug, stock: 500 })?.code).toBe("quantity_limit");
    expect(quantityProblem(1, { ...mug, stock: 0 })?.code).toBe("sold_out");
    expect(quantityProblem(0, mug)?.code).toBe("invalid_input");
    expect(quantityProblem(1.5, mug)?.code).toBe("invalid_input");
  });

  it("checks only the quantity's own limits without a product", () => {
    expect(quantityProblem(99)).toBeNull();
    expect(quantityProblem(100)?.code).toBe("quantity_limit");
    expect(quantityProblem(-1)?.code).toBe("invalid_input");
  });

  it("counts what the line already holds when adding, and says so", () => {
    expect(addProblem(0, 3, { ...mug, stock: 3 })).toBeNull();
    expect(addProblem(2, 2, { ...mug, stock: 3 })?.code).toBe("insufficient_stock");
    expect(addProblem(98, 2, { ...mug, stock: 500 })?.code).toBe("quantity_limit");
    // The sentence mentions the units already there only when there are some.
    expect(addProblem(0, 4, { ...mug, stock: 3 })).toEqual(quantityProblem(4, { ...mug, stock: 3 }));
    expect(addProblem(2, 2, { ...mug, stock: 3 })?.message).not.toBe(quantityProblem(4, { ...mug, stock: 3 })?.message);
  });

  it("offers at most min(stock, 99), and nothing for retired products", () => {
    expect(maxQuantityFor({ active: true, stock: 4 })).toBe(4);
    expect(maxQuantityFor({ active: true, stock: 500 })).toBe(99);
    expect(maxQuantityFor({ active: false, stock: 500 })).toBe(0);
    expect(maxQuantityFor({ active: true, stock: -1 })).toBe(0);
  });

  it("tells an add button its limit and which refusal passing it is", () => {
    expect(lineLimit({ active: true, stock: 4 })).toEqual({ max: 4, code: "insufficient_stock" });
    expect(lineLimit({ active: true, stock: 500 })).toEqual({ max: 99, code: "quantity_limit" });
  });
});

describe("refusals told again from their code", () => {
  it("know every cart refusal code, and nothing else", () => {
    for (const code of ["invalid_input", "unavailable", "sold_out", "insufficient_stock", "quantity_limit", "not_in_cart"]) {
      const refusal = refusalFromCode(code);
      expect(refusal?.code).toBe(code);
      expect(refusal?.message).not.toBe("");
    }
    for (const code of ["", "ok", "toString", "__proto__", "constructor", "<script>"]) expect(refusalFromCode(code)).toBeNull();
  });

  it("name the product when it is known", () => {
    expect(refusalFromCode("sold_out", "Mug")?.message).not.toBe(refusalFromCode("sold_out")?.message);
  });
});

describe("units held by the cart's own checkout", () => {
  it("sum per variant across the cart's reserved orders", () => {
    const held = heldUnits([
      {
        items: [
          { variantId: "mug-blue", quantity: 2 },
          { variantId: "pen", quantity: 1 },
          { variantId: "mug-red", quantity: 4 },
        ],
      },
      { items: [{ variantId: "mug-blue", quantity: 1 }] },
    ]);
    expect(Object.fromEntries(held)).toEqual({ "mug-blue": 3, pen: 1, "mug-red": 4 });
  });

  it("leave out items whose variant no longer exists: they hold nothing", () => {
    expect(Object.fromEntries(heldUnits([{ items: [{ variantId: null, quantity: 2 }] }]))).toEqual({});
  });

  it("count back into the stock the cart may use", () => {
    const held = new Map([["mug", 3]]);
    expect(withHeld({ id: "mug", stock: 0 }, held).stock).toBe(3);
    expect(withHeld({ id: "pen", stock: 5 }, held).stock).toBe(5);
  });
});

describe("cart totals", () => {
  /** A line of `id`'s default variant; `extra` may retire the product, the variant, or set the variant's stock. */
  const product = (
    id: string,
    price: number,
    extra: { active?: boolean; variantActive?: boolean; stock?: number; variantPrice?: number | null; options?: string } = {},
  ) => ({
    product: {
      id,
      slug: id,
      name: id,
      image: `/products/${id}.svg`,
      price,
      currency: "usd",
      active: extra.active ?? true,
      categoryId: null,
      taxClass: "standard" as const,
    },
    variant: {
      id: `v_${id}`,
      sku: id,
      price: extra.variantPrice ?? null,
      stock: extra.stock ?? mug.stock,
      active: extra.variantActive ?? true,
      options: extra.options ?? "",
      weightGrams: 0,
    },
  });

  it("multiplies current unit prices by quantities and sums them in cents", () => {
    const view = buildCartView([
      { quantity: 3, ...product("mug", 1800) },
      { quantity: 1, ...product("pen", 6800) },
      { quantity: 3, ...product("tape", 10) },
    ]);
    expect(view.lines.map((line) => line.lineTotal)).toEqual([5400, 6800, 30]);
    expect(view.subtotal).toBe(12230);
    expect(view.itemCount).toBe(7);
  });

  it("shows lines that can no longer be bought but leaves them out of count and subtotal", () => {
    const view = buildCartView([
      { quantity: 2, ...product("mug", 1800) },
      { quantity: 1, ...product("kettle", 4900, { active: false }) },
      { quantity: 1, ...product("skillet", 5600, { stock: 0 }) },
    ]);
    expect(view.lines).toHaveLength(3);
    expect(view.lines[0]?.problem).toBeNull();
    expect(view.lines[1]?.problem).toBeTruthy();
    expect(view.lines[1]?.maxQuantity).toBe(0);
    expect(view.lines[2]?.problem).toBeTruthy();
    expect(view.lines[2]?.maxQuantity).toBe(0);
    expect(view.subtotal).toBe(3600);
    expect(view.itemCount).toBe(2);
  });

  it("flags a line whose quantity is above what is left in stock, and still counts it", () => {
    const view = buildCartView([{ quantity: 5, ...product("lantern", 4500, { stock: 2 }) }]);
    expect(view.lines[0]?.problem).toBeTruthy();
    expect(view.lines[0]?.maxQuantity).toBe(2);
    expect(view.itemCount).toBe(5);
  });

  it("prices a variant at its own price, else the product's, and names its options", () => {
    const view = buildCartView([
      { quantity: 2, ...product("tee", 2500, { variantPrice: 2800, options: "Size: XL, Colour: Navy" }) },
      { quantity: 1, ...product("mug", 1800) },
    ]);
    expect(view.lines.map(({ variantId, sku, options, unitPrice }) => ({ variantId, sku, options, unitPrice }))).toEqual([
      { variantId: "v_tee", sku: "tee", options: "Size: XL, Colour: Navy", unitPrice: 2800 },
      { variantId: "v_mug", sku: "mug", options: "", unitPrice: 1800 },
    ]);
    expect(view.subtotal).toBe(7400);
  });

  it("cannot buy a retired variant of an active product", () => {
    const view = buildCartView([{ quantity: 1, ...product("tee", 2500, { variantActive: false }) }]);
    expect(view.lines[0]?.maxQuantity).toBe(0);
    expect(view.lines[0]?.problem).toBeTruthy();
    expect(view.itemCount).toBe(0);
  });

  it("is empty for no items", () => {
    expect(buildCartView([])).toEqual({ lines: [], itemCount: 0, subtotal: 0, currency: "usd" });
  });
});
