import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import sharp from "sharp";
import { expect, test } from "./support/test";
import { signInAsAdmin } from "./support/admin";
import { CARDS, enterDetails, payWith } from "./support/checkout";
import { eventually, sql } from "./support/db";

// The catalog editor as staff use it, and what shoppers then see and buy. Outcomes are matched by their code
// (data-outcome, data-refused), never by their wording.

const suffix = () => Date.now().toString(36);

/** A small real photo-like PNG, made here so the test needs no fixture file. */
const pngOf = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 120 } } })
    .png()
    .toBuffer();

/** A product's variants' stock by SKU. */
const stockBySku = async (slug: string) =>
  Object.fromEntries(
    (
      await sql<{ sku: string; stock: number }>(
        `SELECT v.sku, v.stock FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId" WHERE p.slug = $1`,
        [slug],
      )
    ).map((v) => [v.sku, v.stock]),
  );

/** The product form's outcome line, beside its Save button. */
const saveOutcome = (page: Page) => page.locator('form [role="status"][data-outcome]').filter({ visible: true });

test("an owner creates a product with 2×2 variants and an image; a shopper buys one variant and only its stock falls", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const slug = `storm-jacket-${suffix()}`;
  const sku = (size: string, colour: string) => `${slug}-${size}-${colour}`.toLowerCase();
  await signInAsAdmin(page, "/admin/catalog/new");
  await expect(page.getByRole("heading", { name: "New product" })).toBeVisible();

  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Storm Jacket");
  await page.getByRole("textbox", { name: /^Slug/ }).fill(slug);
  await page.getByRole("combobox", { name: "Category" }).selectOption({ index: 1 });
  await page.getByRole("textbox", { name: /^Price/ }).fill("64.00");
  await page.getByRole("textbox", { name: "Description" }).fill("A waxed cotton jacket for wet harbour days.");
  await page.getByRole("checkbox", { name: /^Active/ }).check();

  await page.getByRole("button", { name: "Add an option" }).click();
  await page.getByRole("textbox", { name: "Option 1 name" }).fill("Size");
  await page.getByRole("textbox", { name: "Values, separated by commas" }).first().fill("S, M");
  await page.getByRole("button", { name: "Add an option" }).click();
  await page.getByRole("textbox", { name: "Option 2 name" }).fill("Colour");
  await page.getByRole("textbox", { name: "Values, separated by commas" }).nth(1).fill("Olive, Sand");
  await page.getByRole("button", { name: "Remove Default" }).click();
  await page.getByRole("button", { name: "Add the missing combinations" }).click();
  for (const size of ["S", "M"]) {
    for (const colour of ["Olive", "Sand"]) {
      const label = `${size} / ${colour}`;
      await page.getByRole("textbox", { name: `SKU of ${label}` }).fill(sku(size, colour));
      await page.getByRole("textbox", { name: `Stock of ${label}` }).fill("5");
    }
  }
  // M / Sand costs more than the product's price.
  await page.getByRole("textbox", { name: "Own price of M / Sand" }).fill("69.00");

  const images = page.getByRole("group", { name: "Images" });
  await images.getByLabel("Add images").setInputFiles({ name: "jacket.png", mimeType: "image/png", buffer: await pngOf(900, 900) });
  await expect(page.getByTestId("image-upload-status")).toContainText("jacket.png added");
  await images.getByRole("textbox", { name: /Alt text for image 1/ }).fill("An olive storm jacket on a hook");

  await page.getByRole("button", { name: "Create product" }).click();
  await page.waitForURL(/\/admin\/catalog\/(?!new)[^/]+$/);
  const created = { [sku("S", "Olive")]: 5, [sku("S", "Sand")]: 5, [sku("M", "Olive")]: 5, [sku("M", "Sand")]: 5 };
  expect(await stockBySku(slug)).toEqual(created);

  // A shopper, in a browser of their own: the new page shows the picture and sells the chosen variant.
  const theirs = await browser.newContext();
  try {
    const shopper = await theirs.newPage();
    await shopper.goto(`/products/${slug}`);
    await expect(shopper.getByRole("heading", { name: "Storm Jacket", level: 1 })).toBeVisible();
    const picture = shopper.getByRole("img", { name: "An olive storm jacket on a hook" });
    await expect(picture).toBeVisible();
    expect(await picture.getAttribute("src")).toMatch(/^\/images\/[0-9a-f]{64}\/\d+$/);
    const served = await shopper.request.get((await picture.getAttribute("src"))!);
    expect(served.headers()["content-type"]).toBe("image/webp");
    expect(served.headers()["cache-control"]).toContain("immutable");

    await shopper.getByRole("group", { name: "Size" }).getByRole("radio", { name: /^M\b/ }).check();
    await shopper
      .getByRole("group", { name: "Colour" })
      .getByRole("radio", { name: /^Sand\b/ })
      .check();
    await expect(shopper).toHaveURL(new RegExp(`\\?variant=${sku("M", "Sand")}$`));
    await expect(shopper.getByText("$69.00", { exact: true })).toBeVisible();
    await shopper.getByRole("button", { name: "Add to cart" }).click();
    // The badge counts the add at once; the server's answer comes after. Leaving the page before it would
    // abort the request (the cart would stay empty), so wait for the confirmation as a shopper would.
    await expect(shopper.getByRole("status")).toContainText("Added to cart");
    await expect(shopper.getByTestId("cart-count")).toHaveText("1");

    const number = await enterDetails(shopper);
    await payWith(shopper, CARDS.visa);
    await expect(shopper.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
    const paid = await eventually(async () => {
      const [order] = await sql<{ status: string; options: string; subtotal: number }>(
        `SELECT o.status, o.subtotal, i.options FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o.id WHERE o.number = $1`,
        [number],
      );
      return order?.status === "paid" ? order : undefined;
    });
    expect(paid).toMatchObject({ options: "Size: M, Colour: Sand", subtotal: 6900 });
  } finally {
    await theirs.close();
  }
  expect(await stockBySku(slug)).toEqual({ ...created, [sku("M", "Sand")]: 4 });
});

test("bad uploads are refused by their content with a message, and nothing is added", async ({ page, pageChecks }) => {
  // The browser logs the refusals' HTTP statuses.
  pageChecks.allowConsoleErrors(/status of (415|422)/);
  await signInAsAdmin(page, "/admin/catalog/new");
  const images = page.getByRole("group", { name: "Images" });
  const status = page.getByTestId("image-upload-status");
  const picker = images.getByLabel("Add images");

  // A text file named .png: the server reads the bytes, not the name.
  await picker.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("these are not the pixels you want\n") });
  await expect(status.locator("[data-refused]")).toHaveAttribute("data-refused", "unsupported_type");

  // A small file that decodes to 64 megapixels.
  await picker.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: await pngOf(8000, 8000) });
  await expect(status.locator("[data-refused]")).toHaveAttribute("data-refused", "too_many_pixels");

  // 50 MB: refused before it is sent (the server would answer 413 without reading it).
  const big = path.join(os.tmpdir(), `e2e-50mb-${suffix()}.jpg`);
  await writeFile(big, Buffer.alloc(50 * 1024 * 1024, 0xff));
  await picker.setInputFiles(big);
  await expect(status.locator("[data-refused]")).toHaveAttribute("data-refused", "too_large");

  await expect(images.getByRole("listitem")).toHaveCount(0);
  expect(
    (
      await page.request.post("/admin/catalog/images", {
        multipart: { file: { name: "x.png", mimeType: "image/png", buffer: Buffer.alloc(10) } },
      })
    ).status(),
  ).toBe(403);
});

test("bad product input is refused next to its field, a stale save is refused, and nothing changes", async ({ page, context }) => {
  const [product] = await sql<{ id: string; version: number; name: string; price: number }>(
    `SELECT id, version, name, price FROM "Product" WHERE slug = 'field-notebook'`,
  );
  await signInAsAdmin(page, `/admin/catalog/${product!.id}`);
  const form = page.getByRole("button", { name: "Save" });

  await page.getByRole("textbox", { name: /^Slug/ }).fill("harbour-tee");
  await page.getByRole("textbox", { name: /^Price/ }).fill("-1");
  await page
    .getByRole("textbox", { name: /^Stock of / })
    .first()
    .fill("-3");
  await form.click();
  await expect(saveOutcome(page)).toHaveAttribute("data-outcome", "invalid_fields");
  await expect(page.getByRole("textbox", { name: /^Price/ })).toHaveAccessibleDescription(/.+/);
  await expect(page.getByRole("textbox", { name: /^Stock of / }).first()).toHaveAccessibleDescription(/.+/);

  // Only a valid price and stock left: the slug taken by another product is refused on its own.
  await page.getByRole("textbox", { name: /^Price/ }).fill("12.00");
  await page
    .getByRole("textbox", { name: /^Stock of / })
    .first()
    .fill("3");
  await form.click();
  await expect(saveOutcome(page)).toHaveAttribute("data-outcome", "invalid_fields");
  await expect(page.getByRole("textbox", { name: /^Slug/ })).toHaveAccessibleDescription("Another product has this slug");
  const [unchanged] = await sql<{ version: number; price: number; slug: string }>(
    `SELECT version, price, slug FROM "Product" WHERE id = $1`,
    [product!.id],
  );
  expect(unchanged).toEqual({ version: product!.version, price: product!.price, slug: "field-notebook" });

  // Two staff open the product; the first saves, the second's save is refused and changes nothing.
  await page.reload();
  const other = await context.newPage();
  await other.goto(`/admin/catalog/${product!.id}`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(`${product!.name} (first)`);
  await page.getByRole("button", { name: "Save" }).click();
  // A save that worked re-renders the page from the new version (the form starts afresh, so its "Saved" may
  // be gone before it is read): the heading with the new name is the lasting proof.
  await expect(page.getByRole("heading", { level: 1, name: `${product!.name} (first)` })).toBeVisible();
  await other.getByRole("textbox", { name: "Name", exact: true }).fill(`${product!.name} (second)`);
  await other.getByRole("button", { name: "Save" }).click();
  await expect(saveOutcome(other)).toHaveAttribute("data-outcome", "conflict");
  const [after] = await sql<{ name: string; version: number }>(`SELECT name, version FROM "Product" WHERE id = $1`, [product!.id]);
  expect(after).toEqual({ name: `${product!.name} (first)`, version: product!.version + 1 });

  // Put the name back for the other tests.
  await page.reload();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(product!.name);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: product!.name, exact: true })).toBeVisible();
});
