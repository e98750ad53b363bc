import { describe, expect, it } from "vitest";
import { largestPicturePath, productPictures } from "./pictures";

const sha = (c: string) => c.repeat(64);

describe("the pictures a product page shows", () => {
  it("shows the uploaded images in order, each with its alt text and size", () => {
    const pictures = productPictures({
      name: "Harbour tee",
      image: "/products/harbour-tee.svg",
      images: [
        { sha256: sha("a"), alt: "Front", width: 1200, height: 1600 },
        { sha256: sha("b"), alt: "Back", width: 1600, height: 1200 },
      ],
    });
    expect(pictures).toEqual([
      { src: sha("a"), alt: "Front", width: 1200, height: 1600, uploaded: true },
      { src: sha("b"), alt: "Back", width: 1600, height: 1200, uploaded: true },
    ]);
    expect(largestPicturePath(pictures[0])).toBe(`/images/${sha("a")}/1200`);
  });

  it("falls back to the legacy picture, named after the product, without uploaded images", () => {
    const [only, ...rest] = productPictures({ name: "Mug", image: "/products/mug.svg", images: [] });
    expect(only).toEqual({ src: "/products/mug.svg", alt: "Mug", width: 800, height: 800, uploaded: false });
    expect(rest).toEqual([]);
    expect(largestPicturePath(only)).toBe("/products/mug.svg");
  });
});
