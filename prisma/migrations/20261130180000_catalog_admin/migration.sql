-- Catalog administration: categories can be archived and edited with optimistic concurrency, keep their old
-- slugs, and the cache triggers follow every table a product page shows (closing the gaps left by
-- 20261130160000_product_variants).

-- AlterTable
ALTER TABLE "Category" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CategorySlug" (
    "slug" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,

    CONSTRAINT "CategorySlug_pkey" PRIMARY KEY ("slug")
);

-- CreateIndex
CREATE INDEX "CategorySlug_categoryId_idx" ON "CategorySlug"("categoryId");

-- AddForeignKey
ALTER TABLE "CategorySlug" ADD CONSTRAINT "CategorySlug_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The unique index on (productId, optionKey) already serves lookups by product.
DROP INDEX "ProductVariant_productId_idx";

-- Categories: archiving or restoring one also changes which products the whole-catalog lists show.
CREATE OR REPLACE FUNCTION category_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tags TEXT[] := ARRAY['categories', 'category:' || COALESCE(NEW.id, OLD.id)];
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.slug, OLD.name, OLD.description, OLD.position, OLD.active)
     IS NOT DISTINCT FROM (NEW.slug, NEW.name, NEW.description, NEW.position, NEW.active) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.active IS DISTINCT FROM NEW.active THEN
    tags := tags || ARRAY['products'];
  END IF;
  PERFORM cache_invalidate(tags);
  RETURN NULL;
END
$$;

-- A variant moved to another product changes both products' pages.
CREATE OR REPLACE FUNCTION variant_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND LEAST(OLD.stock, 6) IS NOT DISTINCT FROM LEAST(NEW.stock, 6)
     AND (OLD."productId", OLD.price, OLD.sku, OLD.active, OLD.position, OLD."optionKey")
         IS NOT DISTINCT FROM (NEW."productId", NEW.price, NEW.sku, NEW.active, NEW.position, NEW."optionKey") THEN
    RETURN NULL;
  END IF;
  PERFORM cache_invalidate(ARRAY(
    SELECT DISTINCT 'product:' || id FROM unnest(ARRAY[OLD."productId", NEW."productId"]) AS id WHERE id IS NOT NULL
  ));
  RETURN NULL;
END
$$;

-- A variant's option values are shown in the picker.
CREATE FUNCTION variant_value_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cache_invalidate(ARRAY(
    SELECT 'product:' || v."productId" FROM "ProductVariant" v WHERE v.id = COALESCE(NEW."variantId", OLD."variantId")
  ));
  RETURN NULL;
END
$$;

CREATE TRIGGER "VariantOptionValue_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "VariantOptionValue"
FOR EACH ROW EXECUTE FUNCTION variant_value_cache_invalidate();

-- Images: their order and alt text are on the product page and the first one on every list; a change
-- expires the product (lists showing it are tagged with it too).
CREATE FUNCTION product_image_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cache_invalidate(ARRAY(
    SELECT DISTINCT 'product:' || id FROM unnest(ARRAY[OLD."productId", NEW."productId"]) AS id WHERE id IS NOT NULL
  ));
  RETURN NULL;
END
$$;

CREATE TRIGGER "ProductImage_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "ProductImage"
FOR EACH ROW EXECUTE FUNCTION product_image_cache_invalidate();
