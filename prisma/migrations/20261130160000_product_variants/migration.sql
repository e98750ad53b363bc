-- Products with options and variants. Stock and (optionally) price move to ProductVariant; cart lines and
-- order items point at the variant. Every existing product becomes a product with one default variant
-- (optionKey '', sku = its slug, id 'v_' || product id) carrying its stock, so no cart line, reservation or
-- order loses anything: test/migrations.int.test.ts applies this to a database with carts and orders.

-- CreateTable
CREATE TABLE "ProductOption" (
    "id" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductOptionValue" (
    "id" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductOptionValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductVariant" (
    "id" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "price" INTEGER,
    "stock" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "optionKey" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductVariant_pkey" PRIMARY KEY ("id"),
    -- Hand-added guards, as on Product before: no negative prices or stock, ever.
    CONSTRAINT "ProductVariant_price_nonnegative" CHECK ("price" IS NULL OR "price" >= 0),
    CONSTRAINT "ProductVariant_stock_nonnegative" CHECK ("stock" >= 0)
);

-- CreateTable
CREATE TABLE "VariantOptionValue" (
    "variantId" TEXT NOT NULL,
    "valueId" TEXT NOT NULL,

    CONSTRAINT "VariantOptionValue_pkey" PRIMARY KEY ("variantId","valueId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProductOption_productId_name_key" ON "ProductOption"("productId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ProductOptionValue_optionId_value_key" ON "ProductOptionValue"("optionId", "value");

-- CreateIndex
CREATE UNIQUE INDEX "ProductVariant_sku_key" ON "ProductVariant"("sku");

-- CreateIndex
CREATE INDEX "ProductVariant_productId_idx" ON "ProductVariant"("productId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductVariant_productId_optionKey_key" ON "ProductVariant"("productId", "optionKey");

-- CreateIndex
CREATE INDEX "VariantOptionValue_valueId_idx" ON "VariantOptionValue"("valueId");

-- AddForeignKey
ALTER TABLE "ProductOption" ADD CONSTRAINT "ProductOption_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductOptionValue" ADD CONSTRAINT "ProductOptionValue_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "ProductOption"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductVariant" ADD CONSTRAINT "ProductVariant_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantOptionValue" ADD CONSTRAINT "VariantOptionValue_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ProductVariant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantOptionValue" ADD CONSTRAINT "VariantOptionValue_valueId_fkey" FOREIGN KEY ("valueId") REFERENCES "ProductOptionValue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every product becomes a product with one default variant carrying its stock.
INSERT INTO "ProductVariant" ("id", "productId", "sku", "price", "stock", "active", "position", "optionKey", "createdAt", "updatedAt")
SELECT 'v_' || "id", "id", "slug", NULL, "stock", true, 0, '', "createdAt", CURRENT_TIMESTAMP FROM "Product";

-- Cart lines point at the variant.
ALTER TABLE "CartItem" ADD COLUMN "variantId" TEXT;
UPDATE "CartItem" SET "variantId" = 'v_' || "productId";
ALTER TABLE "CartItem" ALTER COLUMN "variantId" SET NOT NULL;
DROP INDEX "CartItem_cartId_productId_key";
DROP INDEX "CartItem_productId_idx";
ALTER TABLE "CartItem" DROP CONSTRAINT "CartItem_productId_fkey";
ALTER TABLE "CartItem" DROP COLUMN "productId";
CREATE UNIQUE INDEX "CartItem_cartId_variantId_key" ON "CartItem"("cartId", "variantId");
CREATE INDEX "CartItem_variantId_idx" ON "CartItem"("variantId");
ALTER TABLE "CartItem" ADD CONSTRAINT "CartItem_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ProductVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Order items keep their product and gain the variant and the chosen options (none for the old ones).
ALTER TABLE "OrderItem" ADD COLUMN "variantId" TEXT;
ALTER TABLE "OrderItem" ADD COLUMN "options" TEXT NOT NULL DEFAULT '';
UPDATE "OrderItem" SET "variantId" = 'v_' || "productId";
CREATE INDEX "OrderItem_variantId_idx" ON "OrderItem"("variantId");
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ProductVariant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The cache trigger (migration 20261130140000_cache_tags) follows stock to the variant: a product's pages
-- change when any of its variants' shown stock (exact up to 5, as lib/catalog.ts shows it), price, sku,
-- active flag or position changes, or a variant comes or goes.
CREATE FUNCTION variant_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND LEAST(OLD.stock, 6) IS NOT DISTINCT FROM LEAST(NEW.stock, 6)
     AND (OLD.price, OLD.sku, OLD.active, OLD.position, OLD."optionKey")
         IS NOT DISTINCT FROM (NEW.price, NEW.sku, NEW.active, NEW.position, NEW."optionKey") THEN
    RETURN NULL;
  END IF;
  PERFORM cache_invalidate(ARRAY['product:' || COALESCE(NEW."productId", OLD."productId")]);
  RETURN NULL;
END
$$;

CREATE TRIGGER "ProductVariant_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "ProductVariant"
FOR EACH ROW EXECUTE FUNCTION variant_cache_invalidate();

-- Options and their values are shown in the picker: any change expires the product.
CREATE FUNCTION option_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cache_invalidate(ARRAY['product:' || COALESCE(NEW."productId", OLD."productId")]);
  RETURN NULL;
END
$$;

CREATE TRIGGER "ProductOption_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "ProductOption"
FOR EACH ROW EXECUTE FUNCTION option_cache_invalidate();

CREATE FUNCTION option_value_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cache_invalidate(ARRAY(
    SELECT 'product:' || o."productId" FROM "ProductOption" o WHERE o.id = COALESCE(NEW."optionId", OLD."optionId")
  ));
  RETURN NULL;
END
$$;

CREATE TRIGGER "ProductOptionValue_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "ProductOptionValue"
FOR EACH ROW EXECUTE FUNCTION option_value_cache_invalidate();

-- The product trigger no longer sees stock (it moved); it keeps what the product row itself shows.
CREATE OR REPLACE FUNCTION product_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tags TEXT[] := ARRAY[]::TEXT[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    tags := ARRAY['products', 'category:' || NEW."categoryId"];
  ELSIF TG_OP = 'DELETE' THEN
    tags := ARRAY['product:' || OLD.id, 'products', 'category:' || OLD."categoryId"];
  ELSE
    IF (OLD.price, OLD.currency, OLD.name, OLD.description, OLD.image, OLD.slug)
       IS DISTINCT FROM (NEW.price, NEW.currency, NEW.name, NEW.description, NEW.image, NEW.slug) THEN
      tags := tags || ('product:' || NEW.id);
    END IF;
    IF (OLD.active, OLD.featured, OLD."categoryId", OLD.name, OLD.slug)
       IS DISTINCT FROM (NEW.active, NEW.featured, NEW."categoryId", NEW.name, NEW.slug) THEN
      tags := tags || ARRAY['product:' || NEW.id, 'products', 'category:' || OLD."categoryId", 'category:' || NEW."categoryId"];
    END IF;
  END IF;
  PERFORM cache_invalidate(tags);
  RETURN NULL;
END
$$;

-- Stock lives on the variant now.
ALTER TABLE "Product" DROP CONSTRAINT "Product_stock_nonnegative";
ALTER TABLE "Product" DROP COLUMN "stock";
