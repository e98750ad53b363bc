import { describe, expect, it, vi } from "vitest";

// The rules are pure; the database client is never touched here.
vi.mock("@/lib/db", () => ({ prisma: {} }));

const {
  addItemInput,
  buildCartView,
  maxQuantityFor,
  newCartId,
  parseCartId,
  productProblem,
  quantityProblem,
  setQuantityInput,
  firstIssue,
} = await import("@/lib/cart");

const mug = { name: "Mug", active: true, stock: 40, currency: "usd" };

function parseQuantity(quantity: unknown): string | number {
  const result = setQuantityInput.safeParse({ productId: "p1", quantity });
  return result.success ? result.data.quantity : firstIssue(result.error);
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

  it("refuses anything else with a message that names the limit", () => {
    expect(parseQuantity(0)).toBe("Quantity must be at least 1");
    expect(parseQuantity("-3")).toBe("Quantity must be at least 1");
    expect(parseQuantity(100)).toBe("You can order at most 99 of an item");
    expect(parseQuantity("2.5")).toBe("Quantity must be a whole number");
    expect(parseQuantity("")).toBe("Enter a quantity as a whole number");
    expect(parseQuantity("abc")).toBe("Enter a quantity as a whole number");
    expect(parseQuantity("1e3")).toBe("Enter a quantity as a whole number");
    expect(parseQuantity(Number.NaN)).toBe("Enter a quantity as a whole number");
    expect(parseQuantity(null)).toBe("Enter a quantity as a whole number");
  });

  it("adds one unit when no quantity is given", () => {
    expect(addItemInput.parse({ productId: "p1" })).toEqual({ productId: "p1", quantity: 1 });
  });

  it("refuses a missing product id", () => {
    const result = addItemInput.safeParse({ quantity: 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(firstIssue(result.error)).toBe("Unknown product");
  });
});

describe("what may go in a cart", () => {
  it("refuses unknown, inactive, sold-out and foreign-currency products", () => {
    expect(productProblem(null)).toBe("This product is not available");
    expect(productProblem({ ...mug, active: false })).toBe("This product is not available");
    expect(productProblem({ ...mug, stock: 0 })).toBe("Mug is sold out");
    expect(productProblem({ ...mug, currency: "jpy" })).toBe("This shop sells in USD only");
    expect(productProblem(mug)).toBeNull();
  });

  it("limits a line to the stock and to 99", () => {
    expect(quantityProblem(40, mug)).toBeNull();
    expect(quantityProblem(41, mug)).toBe("Only 40 of Mug left in stock");
    expect(quantityProblem(100, { ...mug, stock: 500 })).toBe("You can order at most 99 of an item");
    expect(quantityProblem(0, mug)).toBe("Quantity must be at least 1");
    expect(quantityProblem(1.5, mug)).toBe("Quantity must be a whole number");
  });

  it("offers at most min(stock, 99), and nothing for retired products", () => {
    expect(maxQuantityFor({ active: true, stock: 4 })).toBe(4);
    expect(maxQuantityFor({ active: true, stock: 500 })).toBe(99);
    expect(maxQuantityFor({ active: false, stock: 500 })).toBe(0);
    expect(maxQuantityFor({ active: true, stock: -1 })).toBe(0);
  });
});

describe("cart totals", () => {
  const product = (id: string, price: number, extra: Partial<typeof mug> = {}) => ({
    id,
    slug: id,
    image: `/products/${id}.svg`,
    price,
    ...mug,
    name: id,
    ...extra,
  });

  it("multiplies current unit prices by quantities and sums them in cents", () => {
    const view = buildCartView([
      { quantity: 3, product: product("mug", 1800) },
      { quantity: 1, product: product("pen", 6800) },
      { quantity: 3, product: product("tape", 10) },
    ]);
    expect(view.lines.map((line) => line.lineTotal)).toEqual([5400, 6800, 30]);
    expect(view.subtotal).toBe(12230);
    expect(view.itemCount).toBe(7);
  });

  it("shows lines that can no longer be bought but leaves them out of count and subtotal", () => {
    const view = buildCartView([
      { quantity: 2, product: product("mug", 1800) },
      { quantity: 1, product: product("kettle", 4900, { active: false }) },
      { quantity: 1, product: product("skillet", 5600, { stock: 0 }) },
    ]);
    expect(view.lines).toHaveLength(3);
    expect(view.lines[1]?.problem).toBe("This product is not available");
    expect(view.lines[2]?.problem).toBe("skillet is sold out");
    expect(view.subtotal).toBe(3600);
    expect(view.itemCount).toBe(2);
  });

  it("flags a line whose quantity is above what is left in stock", () => {
    const view = buildCartView([{ quantity: 5, product: product("lantern", 4500, { stock: 2 }) }]);
    expect(view.lines[0]?.problem).toBe("Only 2 left in stock: lower the quantity");
    expect(view.lines[0]?.maxQuantity).toBe(2);
  });

  it("is empty for no items", () => {
    expect(buildCartView([])).toEqual({ lines: [], itemCount: 0, subtotal: 0, currency: "usd" });
  });
});
