import { describe, expect, it } from "vitest";
import imageLoader from "./loader";
import { IMAGE_WIDTHS, imagePath, nearestImageWidth, parseImageWidth } from "./rules";

const sha = "a".repeat(64);

type NextImagesConfig = { images: { loaderFile: string; deviceSizes: number[]; imageSizes: number[] } };

describe("image widths and URLs", () => {
  it("serves the smallest allowed width that covers the wanted one, capped at the largest", () => {
    expect([1, 200, 201, 640, 800, 1080, 3840].map(nearestImageWidth)).toEqual([200, 200, 400, 800, 800, 1200, 1200]);
  });

  it("accepts only the allowed widths, written plainly", () => {
    expect(["200", "1200"].map(parseImageWidth)).toEqual([200, 1200]);
    expect(["300", "0400", "400.0", "", "1e3"].map(parseImageWidth)).toEqual([null, null, null, null, null]);
  });

  it("next/image's loader maps an uploaded image's sha and a width to its immutable URL", () => {
    expect(imageLoader({ src: sha, width: 640 })).toBe(`/images/${sha}/800`);
    expect(imagePath(sha, 96)).toBe(`/images/${sha}/200`);
    expect(imageLoader({ src: "/products/mug.svg", width: 640 })).toBe("/products/mug.svg?w=640");
  });

  it("next/image is configured with exactly the widths the image route renders, through the shop's loader", async () => {
    // next.config.mjs is JavaScript without types: loaded by URL, and read as the fields checked here.
    const configFile = new URL("../../next.config.mjs", import.meta.url).href;
    const { default: config } = (await import(/* @vite-ignore */ configFile)) as { default: NextImagesConfig };
    const { images } = config;
    expect(images.loaderFile).toBe("./lib/images/loader.ts");
    expect([...images.imageSizes, ...images.deviceSizes].sort((a, b) => a - b)).toEqual([...IMAGE_WIDTHS]);
  });
});
