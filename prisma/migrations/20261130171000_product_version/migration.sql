-- Optimistic concurrency for the catalog editor, and old slugs that keep redirecting to the product.

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ProductSlug" (
    "slug" TEXT NOT NULL,
    "productId" TEXT NOT NULL,

    CONSTRAINT "ProductSlug_pkey" PRIMARY KEY ("slug")
);

-- CreateIndex
CREATE INDEX "ProductSlug_productId_idx" ON "ProductSlug"("productId");

-- AddForeignKey
ALTER TABLE "ProductSlug" ADD CONSTRAINT "ProductSlug_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
