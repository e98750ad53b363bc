import { ImageResponse } from "next/og";
import { getActiveProducts, getProduct } from "@/lib/catalog";
import { formatMoney } from "@/lib/money";
import { SITE_NAME } from "@/lib/site";

// A PNG share card per product (social networks do not render the SVG illustrations), built from cached catalog data.
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";
export async function generateStaticParams() {
  return (await getActiveProducts()).map((product) => ({ slug: product.slug }));
}

export const alt = `${SITE_NAME} product card`;

export default async function Image({ params }: { params: Promise<{ slug: string }> }) {
  const product = await getProduct((await params).slug);
  return new ImageResponse(
    <div
      style={{
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        width: "100%",
        height: "100%",
        padding: 72,
        background: "#0f3d3e",
        color: "#f5efe6",
      }}
    >
      <div style={{ display: "flex", fontSize: 36, color: "#7fc4bd" }}>{SITE_NAME}</div>
      <div style={{ display: "flex", flexDirection: "column", gap: 24 }}>
        <div style={{ display: "flex", fontSize: 30, color: "#cfe3e0" }}>{product?.category.name ?? ""}</div>
        <div style={{ display: "flex", fontSize: 84, lineHeight: 1.05 }}>{product?.name ?? SITE_NAME}</div>
      </div>
      <div style={{ display: "flex", fontSize: 56 }}>{product ? formatMoney(product.price, product.currency) : ""}</div>
    </div>,
    size,
  );
}
