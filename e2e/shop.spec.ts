import { expect, test, type Locator, type Page } from "./support/test";

// Each test gets a fresh browser context, so a fresh cart cookie: tests never see each other's carts.
// Outcomes are matched by what the page exposes for programs (data-code: lib/result.ts's CartErrorCode;
// data-in-cart: the server's count of the product after an add), never by the words shown to the shopper.

// While the streamed badge replaces its Suspense fallback both exist for a moment; only one is visible.
const badge = (page: Page) => page.getByTestId("cart-count").filter({ visible: true });
/** The product page's status line under Add to cart. */
const addStatus = (page: Page) => page.getByRole("status");
/** A cart line, and its error line. */
const cartLine = (page: Page, name: string) =>
  page.getByRole("list", { name: "Items in your cart" }).getByRole("listitem").filter({ hasText: name });
const lineError = (line: Locator) => line.getByTestId("line-error");
/** A value of a product option: a radio, named by its value and any mark ("L Sold out"), in the option's group. */
const optionRadio = (page: Page, option: string, value: string) =>
  page.getByRole("group", { name: option }).getByRole("radio", { name: new RegExp(`^${value}\\b`) });

async function addToCart(page: Page, expectedCount: number) {
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "1");
  await expect(badge(page)).toHaveText(String(expectedCount));
}

test("a shopper browses, fills a cart, edits it and finds it intact after a reload", async ({ page }) => {
  await page.goto("/");
  await expect(badge(page)).toHaveText("0");

  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Kitchen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kitchen" })).toBeVisible();
  await page.getByRole("link", { name: "Stoneware Mug" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stoneware Mug" })).toBeVisible();
  await expect(page.getByText("In stock")).toBeVisible();
  await addToCart(page, 1);

  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Stationery" }).click();
  await page.getByRole("link", { name: "Dot Grid Notebook" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dot Grid Notebook" })).toBeVisible();
  await addToCart(page, 2);

  await page.getByRole("link", { name: /^Cart/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your cart" })).toBeVisible();
  const items = page.getByRole("list", { name: "Items in your cart" }).getByRole("listitem");
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId("cart-subtotal")).toHaveText("$32.00");

  await page.getByLabel("Quantity of Stoneware Mug").fill("3");
  await page.getByRole("listitem").filter({ hasText: "Stoneware Mug" }).getByRole("button", { name: "Update" }).click();
  await expect(page.getByLabel("Line total for Stoneware Mug")).toHaveText("$54.00");
  await expect(page.getByTestId("cart-subtotal")).toHaveText("$68.00");
  await expect(badge(page)).toHaveText("4");

  await page.getByRole("button", { name: "Remove Dot Grid Notebook" }).click();
  await expect(items).toHaveCount(1);
  await expect(page.getByTestId("cart-subtotal")).toHaveText("$54.00");
  await expect(badge(page)).toHaveText("3");

  await page.reload();
  await expect(items).toHaveCount(1);
  await expect(page.getByLabel("Quantity of Stoneware Mug")).toHaveValue("3");
  await expect(page.getByTestId("cart-subtotal")).toHaveText("$54.00");
  await expect(badge(page)).toHaveText("3");

  // Invalid quantities are refused with a message next to the line, and nothing changes.
  const quantity = page.getByLabel("Quantity of Stoneware Mug");
  const line = page.getByRole("listitem").filter({ hasText: "Stoneware Mug" });
  await quantity.fill("0");
  await line.getByRole("button", { name: "Update" }).click();
  await expect(lineError(line)).toHaveAttribute("data-code", "invalid_input");
  await expect(lineError(line)).not.toBeEmpty();
  await quantity.fill("500");
  await line.getByRole("button", { name: "Update" }).click();
  await expect(lineError(line)).toHaveAttribute("data-code", "quantity_limit");
  await quantity.fill("98");
  await line.getByRole("button", { name: "Update" }).click();
  await expect(lineError(line)).toHaveAttribute("data-code", "insufficient_stock");
  await page.reload();
  await expect(page.getByLabel("Quantity of Stoneware Mug")).toHaveValue("3");
  await expect(page.getByTestId("cart-subtotal")).toHaveText("$54.00");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a shopper adds to the cart, sees lines and totals, changes the quantity and removes the line", async ({ page }) => {
    // Plain form posts, each answered with a redirect to the cart page, which says what happened.
    await page.goto("/products/stoneware-mug");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page).toHaveURL(/\/cart\?add=/);
    await expect(page.getByRole("status")).toHaveAttribute("data-in-cart", "1");
    await page.goto("/products/stoneware-mug");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByRole("status")).toHaveAttribute("data-in-cart", "2");

    await expect(page.getByRole("heading", { level: 1, name: "Your cart" })).toBeVisible();
    const line = cartLine(page, "Stoneware Mug");
    await expect(line).toHaveCount(1);
    await expect(page.getByLabel("Quantity of Stoneware Mug")).toHaveValue("2");
    await expect(page.getByLabel("Line total for Stoneware Mug")).toHaveText("$36.00");
    await expect(page.getByTestId("cart-subtotal")).toHaveText("$36.00");

    await page.getByLabel("Quantity of Stoneware Mug").fill("3");
    await line.getByRole("button", { name: "Update" }).click();
    await expect(page.getByLabel("Line total for Stoneware Mug")).toHaveText("$54.00");
    await expect(page.getByTestId("cart-subtotal")).toHaveText("$54.00");

    // A refusal comes back with the page, next to its line, and changes nothing.
    await page.getByLabel("Quantity of Stoneware Mug").fill("0");
    await line.getByRole("button", { name: "Update" }).click();
    await expect(lineError(line)).toHaveAttribute("data-code", "invalid_input");
    await expect(page.getByLabel("Quantity of Stoneware Mug")).toHaveValue("3");
    await expect(page.getByTestId("cart-subtotal")).toHaveText("$54.00");

    await line.getByRole("button", { name: "Remove Stoneware Mug" }).click();
    await expect(page.getByRole("list", { name: "Items in your cart" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Continue shopping" })).toBeVisible();

    // A refused add lands on the cart page too, with its code. The seed has one Cedar Planter.
    await page.goto("/products/cedar-planter");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByRole("status")).toHaveAttribute("data-in-cart", "1");
    await page.goto("/products/cedar-planter");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByRole("status")).toHaveAttribute("data-code", "insufficient_stock");
    await expect(page.getByLabel("Quantity of Cedar Planter")).toHaveValue("1");
  });
});

test("an Add to cart click before the page has hydrated is not lost", async ({ page }) => {
  // The page's scripts are held back until after the click, so the button is still plain HTML.
  // (Only scripts: held stylesheets would hold back the document itself.)
  const scripts = /\/_next\/static\/chunks\/.*\.js$/;
  const held: Array<() => Promise<void>> = [];
  await page.route(scripts, (route) => void held.push(() => route.continue()));
  await page.goto("/products/dot-grid-notebook", { waitUntil: "domcontentloaded" });
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.unroute(scripts);
  // Requests of the page that was left are gone by now; continuing them may fail.
  for (const release of held) await release().catch(() => undefined);

  // The form was posted, and answered with the cart page, which then hydrated.
  await expect(page).toHaveURL(/\/cart\?add=/);
  await expect(page.getByRole("status")).toHaveAttribute("data-in-cart", "1");
  await expect(page.getByLabel("Quantity of Dot Grid Notebook")).toHaveValue("1");
  await expect(badge(page)).toHaveText("1");
  await expect(page.getByRole("link", { name: /^Cart/ })).toHaveAccessibleName("Cart 1 item");
});

test("fifty rapid clicks on Add to cart end with the badge equal to the server's count", async ({ page }) => {
  // Server Action calls are POSTs carrying a Next-Action header.
  let actionRequests = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) actionRequests += 1;
  });

  // Fifty clicks dispatched in one burst, faster than any request can return.
  const burst = () =>
    page.getByRole("button", { name: "Add to cart" }).evaluate((button: HTMLElement) => {
      for (let click = 0; click < 50; click += 1) button.click();
    });

  // Plenty of stock: all fifty clicks count, sent as one request plus one coalesced follow-up.
  await page.goto("/products/insulated-bottle");
  await expect(badge(page)).toHaveText("0");
  await burst();
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "50");
  await expect(badge(page)).toHaveText("50");
  expect(actionRequests).toBeLessThanOrEqual(3);
  await page.reload();
  await expect(badge(page)).toHaveText("50");

  // Few in stock (the seed has 4): the clicks stop at the stock, and the badge never shows more than the server holds.
  actionRequests = 0;
  await page.goto("/products/brass-fountain-pen");
  const lowStock = (await page.getByText(/^Only \d+ left$/).textContent()) ?? "";
  const stock = Number(/\d+/.exec(lowStock)?.[0]);
  expect(stock).toBeGreaterThan(0);
  await expect(badge(page)).toHaveText("50");
  await burst();
  // Clicks past the stock are refused at once; the last request's confirmation arrives after them.
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", String(stock));
  await expect(badge(page)).toHaveText(String(50 + stock));
  expect(actionRequests).toBeLessThanOrEqual(3);

  // Ordinary (awaited) clicks past the limit are refused locally too.
  const button = page.getByRole("button", { name: "Add to cart" });
  for (let click = 0; click < 5; click += 1) await button.click();
  await expect(addStatus(page)).toHaveAttribute("data-code", "insufficient_stock");
  await expect(badge(page)).toHaveText(String(50 + stock));

  // The server agrees: a fresh render of the cart page and the badge show the same counts.
  await page.goto("/cart");
  await expect(page.getByLabel("Quantity of Brass Fountain Pen")).toHaveValue(String(stock));
  await expect(page.getByLabel("Quantity of Insulated Bottle")).toHaveValue("50");
  await expect(badge(page)).toHaveText(String(50 + stock));
});

test("the first add gets its cart from /api/cart, so no add sets a cookie or re-renders the page", async ({ page }) => {
  // Each action answer passes through here on its way to the page, so its headers and body can be read.
  const actionAnswers: Array<{ setsCookie: boolean; revalidated: string | undefined; bytes: number }> = [];
  await page.route("**/products/**", async (route) => {
    if (route.request().method() !== "POST" || !route.request().headers()["next-action"]) return route.fallback();
    const response = await route.fetch();
    const names = response.headersArray().map(({ name }) => name.toLowerCase());
    actionAnswers.push({
      setsCookie: names.includes("set-cookie"),
      revalidated: response.headers()["x-action-revalidated"],
      bytes: (await response.body()).length,
    });
    await route.fulfill({ response });
  });
  await page.goto("/products/stoneware-mug");
  await expect(badge(page)).toHaveText("0");
  const opened = page.waitForResponse((response) => response.url().endsWith("/api/cart") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Add to cart" }).click();
  expect((await (await opened).allHeaders())["set-cookie"]).toContain("cart_id=");
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "1");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "2");
  await expect(badge(page)).toHaveText("2");
  expect(actionAnswers).toHaveLength(2);
  for (const answer of actionAnswers) {
    // The action's own result only: a page re-render would be many kilobytes of RSC payload.
    expect(answer).toMatchObject({ setsCookie: false, revalidated: undefined });
    expect(answer.bytes).toBeLessThan(2_000);
  }
});

test("sold-out and retired products cannot be added", async ({ page }) => {
  await page.goto("/products/cast-iron-skillet");
  await expect(page.getByText("Sold out", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add to cart" })).toHaveCount(0);

  await page.goto("/products/vintage-kettle");
  await expect(page.getByText("No longer available", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add to cart" })).toHaveCount(0);
});

test("search matches name and description case-insensitively and treats SQL as text", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Search products" }).fill("MUG");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\?q=MUG/);
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: "Stoneware Mug" })).toBeVisible();
  await expect(results.getByRole("link", { name: "Enamel Camp Mug" })).toBeVisible();

  await page.goto("/search?q=fountain%20pen%20ink");
  await expect(page.getByRole("link", { name: "Dot Grid Notebook" })).toBeVisible();

  await page.goto(`/search?q=${encodeURIComponent(`' OR 1=1; DROP TABLE "Product"; --`)}`);
  await expect(page.getByText(/No products match/)).toBeVisible();
  await page.goto("/categories/kitchen");
  await expect(page.getByRole("link", { name: "Stoneware Mug" })).toBeVisible();
});

test("unknown slugs answer 404 with the not-found page", async ({ page, pageChecks }) => {
  pageChecks.allowConsoleErrors(/status of 404/);
  const product = await page.goto("/products/no-such-thing");
  expect(product?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
  const category = await page.goto("/categories/no-such-thing");
  expect(category?.status()).toBe(404);
});

test("product pages carry Product structured data and Open Graph tags", async ({ page }) => {
  await page.goto("/products/stoneware-mug");
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
  expect(jsonLd["@type"]).toBe("Product");
  // One Offer per variant on sale; the mug has no options, so one.
  expect(jsonLd.offers).toEqual([
    expect.objectContaining({ price: "18.00", priceCurrency: "USD", availability: "https://schema.org/InStock" }),
  ]);
  await expect(page).toHaveTitle(/Stoneware Mug/);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", "Stoneware Mug");
});

test("a shopper picks a variant by its options, shares it by URL, and cannot add what is not for sale", async ({ page }) => {
  // Seed: Harbour T-Shirt in S/M/L × Navy/Sand; M/Navy has 12, L/Navy none, M/Sand is not made, S/Sand has 5.
  const radio = (option: string, value: string) => optionRadio(page, option, value);
  const addButton = page.getByRole("button", { name: "Add to cart" });

  await page.goto("/products/harbour-tee");
  await radio("Size", "M").check();
  await radio("Colour", "Navy").check();
  await expect(page).toHaveURL(/\?variant=harbour-tee-m-navy$/);
  await expect(page.getByText("$28.00", { exact: true })).toBeVisible();
  await expect(page.getByText("In stock", { exact: true })).toBeVisible();
  await addToCart(page, 1);

  // With M chosen, Sand is marked; with Navy chosen, L is marked.
  await expect(radio("Colour", "Sand")).toHaveAccessibleName("Sand Not available");
  await expect(radio("Size", "L")).toHaveAccessibleName("L Sold out");
  await radio("Size", "L").check();
  await expect(page.getByText("Sold out. We are restocking soon.")).toBeVisible();
  await expect(addButton).toHaveCount(0);
  await radio("Size", "M").check();
  await radio("Colour", "Sand").check();
  await expect(page.getByText("This combination is not available.")).toBeVisible();
  await expect(addButton).toHaveCount(0);
  await expect(page).not.toHaveURL(/variant=/);

  await page.getByRole("link", { name: /^Cart/ }).click();
  const line = cartLine(page, "Harbour T-Shirt");
  await expect(line).toHaveCount(1);
  await expect(line).toContainText("Size: M, Colour: Navy");
  await expect(page.getByLabel("Line total for Harbour T-Shirt (Size: M, Colour: Navy)")).toHaveText("$28.00");

  // A shared link preselects its variant (seed SKUs: slug and values); an unknown SKU falls back to the
  // first one on sale (S, Navy).
  await page.goto("/products/harbour-tee?variant=harbour-tee-s-sand");
  await expect(radio("Size", "S")).toBeChecked();
  await expect(radio("Colour", "Sand")).toBeChecked();
  await expect(page.getByText("Only 5 left", { exact: true })).toBeVisible();
  await page.goto("/products/harbour-tee?variant=no-such-sku");
  await expect(radio("Size", "S")).toBeChecked();
  await expect(radio("Colour", "Navy")).toBeChecked();
});

test("a keyboard user picks a variant with Tab and the arrow keys, hears why a choice cannot be bought, and adds one", async ({ page }) => {
  // Seed: Tide Mug in Dawn/Noon/Dusk glaze × Round/Square handle; Dawn/Round has 6, Noon/Round 2, Noon/Square
  // none, Dusk/Square 9 at $22.00 (the others $20.00); Dawn/Square and Dusk/Round are not made.
  const radio = (option: string, value: string) => optionRadio(page, option, value);
  const addButton = page.getByRole("button", { name: "Add to cart" });
  // The picker's live region: it has no role to find it by (the add button's status line is the status).
  const announcement = page.locator('p[aria-live="polite"]:not([role])');
  const press = (key: string) => page.keyboard.press(key);

  await page.goto("/products/tide-mug");
  await expect(badge(page)).toHaveText("0");
  // The default choice; the radios are enabled once the picker runs, and its live region is there, silent.
  await expect(radio("Glaze", "Dawn")).toBeChecked();
  await expect(radio("Handle", "Round")).toBeChecked();
  await expect(radio("Glaze", "Dawn")).toBeEnabled();
  await expect(announcement).toHaveText("");

  // Tab through the header and the breadcrumb: focus enters the first group on its checked radio.
  const dawn = radio("Glaze", "Dawn");
  for (let presses = 0; presses < 40 && !(await dawn.evaluate((element) => element === document.activeElement)); presses += 1) {
    await press("Tab");
  }
  await expect(dawn).toBeFocused();

  // Arrow keys move within a group and choose as they go (native radios).
  await press("ArrowRight");
  await expect(radio("Glaze", "Noon")).toBeFocused();
  await expect(radio("Glaze", "Noon")).toBeChecked();
  await expect(page).toHaveURL(/\?variant=tide-mug-noon-round$/);
  await expect(page.getByText("Only 2 left", { exact: true })).toBeVisible();
  await expect(announcement).toHaveText("Glaze: Noon, Handle: Round. $20.00, Only 2 left.");

  // The next group is one Tab away. Noon with a square handle is sold out: said, and nothing to add.
  await press("Tab");
  await expect(radio("Handle", "Round")).toBeFocused();
  await press("ArrowRight");
  await expect(radio("Handle", "Square")).toBeChecked();
  await expect(radio("Handle", "Square")).toHaveAccessibleName("Square Sold out");
  await expect(page).toHaveURL(/\?variant=tide-mug-noon-square$/);
  await expect(announcement).toHaveText("Glaze: Noon, Handle: Square. Sold out.");
  await expect(page.getByText("Sold out. We are restocking soon.")).toBeVisible();
  await expect(addButton).toHaveCount(0);

  // Back to the glazes: Dusk with a square handle is for sale, at its own price.
  await press("Shift+Tab");
  await expect(radio("Glaze", "Noon")).toBeFocused();
  await press("ArrowRight");
  await expect(radio("Glaze", "Dusk")).toBeChecked();
  await expect(page).toHaveURL(/\?variant=tide-mug-dusk-square$/);
  await expect(page.getByText("$22.00", { exact: true })).toBeVisible();
  await expect(page.getByText("In stock", { exact: true })).toBeVisible();
  await expect(announcement).toHaveText("Glaze: Dusk, Handle: Square. $22.00, In stock.");
  await expect(addButton).toBeVisible();

  // Dusk with a round handle is not made: said, and the URL names no variant.
  await press("Tab");
  await expect(radio("Handle", "Square")).toBeFocused();
  await press("ArrowLeft");
  await expect(radio("Handle", "Round")).toBeChecked();
  await expect(announcement).toHaveText("Glaze: Dusk, Handle: Round. Not available in this combination.");
  await expect(page.getByText("This combination is not available.")).toBeVisible();
  await expect(addButton).toHaveCount(0);
  await expect(page).not.toHaveURL(/variant=/);

  // Back to Square, Tab to Add to cart, and add with Enter, then with Space.
  await press("ArrowRight");
  await expect(page).toHaveURL(/\?variant=tide-mug-dusk-square$/);
  await press("Tab");
  await expect(addButton).toBeFocused();
  await press("Enter");
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "1");
  await expect(badge(page)).toHaveText("1");
  await press("Space");
  await expect(addStatus(page)).toHaveAttribute("data-in-cart", "2");
  await expect(badge(page)).toHaveText("2");
  await expect(addStatus(page)).toContainText("Tide Mug (Glaze: Dusk, Handle: Square)");
});

test.describe("without JavaScript, a product with options", () => {
  test.use({ javaScriptEnabled: false });

  test("offers its first variant on sale", async ({ page }) => {
    await page.goto("/products/harbour-tee?variant=no-such-sku");
    // The page as served shows the default choice; its radios stay disabled, as choosing needs the picker.
    await expect(optionRadio(page, "Size", "S")).toBeChecked();
    await expect(optionRadio(page, "Colour", "Navy")).toBeChecked();
    await expect(optionRadio(page, "Size", "M")).toBeDisabled();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page).toHaveURL(/\/cart\?add=/);
    await expect(page.getByLabel("Quantity of Harbour T-Shirt (Size: S, Colour: Navy)")).toHaveValue("1");
  });
});
