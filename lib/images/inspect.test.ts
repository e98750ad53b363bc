import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { inspectUpload } from "./inspect";
import { MAX_IMAGE_BYTES } from "./rules";

const noise = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } });

describe("inspectUpload decides from the content, never the name", () => {
  it("accepts JPEG, PNG, WebP and AVIF with their size and content type", async () => {
    const base = noise(64, 48);
    for (const [bytes, contentType] of [
      [await base.clone().jpeg().toBuffer(), "image/jpeg"],
      [await base.clone().png().toBuffer(), "image/png"],
      [await base.clone().webp().toBuffer(), "image/webp"],
      [await base.clone().avif().toBuffer(), "image/avif"],
    ] as const) {
      expect(await inspectUpload(bytes)).toEqual({ ok: true, format: expect.any(String), contentType, width: 64, height: 48 });
    }
  });

  it("refuses a text file renamed .png as not an image", async () => {
    const result = await inspectUpload(new TextEncoder().encode("name,price\nmug,12.00\n"));
    expect(result).toMatchObject({ ok: false, code: "unsupported_type" });
  });

  it("refuses image formats the shop does not take (GIF, TIFF, SVG)", async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    for (const bytes of [await noise(8, 8).gif().toBuffer(), await noise(8, 8).tiff().toBuffer(), svg]) {
      expect(await inspectUpload(bytes)).toMatchObject({ ok: false, code: "unsupported_type" });
    }
  });

  it("refuses a truncated PNG whose header alone looks fine", async () => {
    const png = await noise(200, 200).png().toBuffer();
    const result = await inspectUpload(png.subarray(0, Math.floor(png.length / 2)));
    expect(result).toMatchObject({ ok: false, code: "damaged", error: expect.stringMatching(/damaged or incomplete/) });
  });

  it("refuses a 10,000 × 5,000 image (50 megapixels) from its header, before decoding", async () => {
    const bomb = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.byteLength).toBeLessThan(MAX_IMAGE_BYTES); // small on disk, 150 MB once decoded
    expect(await inspectUpload(bomb)).toMatchObject({ ok: false, code: "too_many_pixels", error: expect.stringMatching(/40 megapixels/) });
  });

  it("refuses more than 10 MB and an empty file without decoding", async () => {
    expect(await inspectUpload(new Uint8Array(MAX_IMAGE_BYTES + 1))).toMatchObject({ ok: false, code: "too_large" });
    expect(await inspectUpload(new Uint8Array())).toMatchObject({ ok: false, code: "no_file" });
  });
});
