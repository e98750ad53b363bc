import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { reencodeUpload } from "./encode";

describe("re-encoding an upload", () => {
  it("drops EXIF (camera, GPS) but keeps the picture upright", async () => {
    // 40 × 20 stored sideways: EXIF orientation 6 says "rotate 90° clockwise to show".
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#3a6" } })
      .jpeg()
      .withMetadata({
        orientation: 6,
        exif: {
          IFD0: { Make: "PhoneMaker", Model: "Phone 9" },
          IFD3: { GPSLatitudeRef: "N", GPSLatitude: "59/1 20/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "18/1 4/1 0/1" },
        },
      })
      .toBuffer();
    const before = await sharp(photo).metadata();
    expect(before.exif?.toString("latin1")).toContain("PhoneMaker");
    expect(before.orientation).toBe(6);

    const { data, width, height } = await reencodeUpload(photo, "jpeg");
    const after = await sharp(data).metadata();
    expect(after).toMatchObject({ format: "jpeg", width: 20, height: 40 });
    expect([width, height]).toEqual([20, 40]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
  });

  it("keeps PNG, WebP and AVIF in their format and shrinks only what is larger than 2400 px", async () => {
    const big = sharp({ create: { width: 3000, height: 100, channels: 4, background: "#12345680" } });
    for (const format of ["png", "webp", "avif"] as const) {
      const input = await big.clone().toFormat(format).toBuffer();
      const out = await reencodeUpload(input, format === "avif" ? "heif" : format);
      expect(await sharp(out.data).metadata()).toMatchObject({ format: format === "avif" ? "heif" : format, width: 2400, height: 80 });
    }
  });
});
