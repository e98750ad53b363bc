// A variant's name as carts, orders and messages show it. Its own module, free of schemas and storage, because
// client components (the cart, the order summary) import it and carry whatever its module imports.

/** "T-shirt (Size: M, Colour: Navy)"; the product's name alone without options. */
export function variantName(productName: string, options: string): string {
  return options ? `${productName} (${options})` : productName;
}
