-- Cache tags shared by every app instance (cache/tag-store.mjs).
CREATE TABLE "CacheTag" (
    "tag" TEXT NOT NULL,
    "expiredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CacheTag_pkey" PRIMARY KEY ("tag")
);

-- Records that `tags` are invalidated now and tells every listening instance. NOTIFY is delivered at
-- commit, so no instance drops a page before the change that caused it is visible, and a rolled-back
-- change invalidates nothing.
CREATE FUNCTION cache_invalidate(tags TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF tags IS NULL OR cardinality(tags) = 0 THEN
    RETURN;
  END IF;
  INSERT INTO "CacheTag" ("tag", "expiredAt")
  SELECT tag, clock_timestamp() FROM (SELECT DISTINCT unnest(tags) AS tag) AS distinct_tags
  ON CONFLICT ("tag") DO UPDATE SET "expiredAt" = EXCLUDED."expiredAt";
  PERFORM pg_notify('cache_tags', array_to_string(tags, ','));
END
$$;

-- A product's tag is `product:<id>`; lists carry the tags of the products they show plus `category:<id>`
-- or `products` for their membership (lib/catalog.ts). Stock is compared as the catalog shows it: exact up
-- to the low-stock threshold (5, LOW_STOCK_THRESHOLD in lib/catalog.ts), "in stock" above it, so a sale
-- from 40 to 39 units invalidates nothing and a sale of the last unit invalidates at once.
CREATE FUNCTION product_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tags TEXT[] := ARRAY[]::TEXT[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    tags := ARRAY['products', 'category:' || NEW."categoryId"];
  ELSIF TG_OP = 'DELETE' THEN
    tags := ARRAY['product:' || OLD.id, 'products', 'category:' || OLD."categoryId"];
  ELSE
    IF LEAST(OLD.stock, 6) IS DISTINCT FROM LEAST(NEW.stock, 6)
       OR (OLD.price, OLD.currency, OLD.name, OLD.description, OLD.image, OLD.slug)
          IS DISTINCT FROM (NEW.price, NEW.currency, NEW.name, NEW.description, NEW.image, NEW.slug) THEN
      tags := tags || ('product:' || NEW.id);
    END IF;
    -- Which lists show the product, and in which order (by name).
    IF (OLD.active, OLD.featured, OLD."categoryId", OLD.name, OLD.slug)
       IS DISTINCT FROM (NEW.active, NEW.featured, NEW."categoryId", NEW.name, NEW.slug) THEN
      tags := tags || ARRAY['product:' || NEW.id, 'products', 'category:' || OLD."categoryId", 'category:' || NEW."categoryId"];
    END IF;
  END IF;
  PERFORM cache_invalidate(tags);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Product_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "Product"
FOR EACH ROW EXECUTE FUNCTION product_cache_invalidate();

-- Categories appear in every page's navigation: any change to one invalidates `categories`.
CREATE FUNCTION category_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.slug, OLD.name, OLD.description, OLD.position)
     IS NOT DISTINCT FROM (NEW.slug, NEW.name, NEW.description, NEW.position) THEN
    RETURN NULL;
  END IF;
  PERFORM cache_invalidate(ARRAY['categories', 'category:' || COALESCE(NEW.id, OLD.id)]);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Category_cache_invalidate"
AFTER INSERT OR UPDATE OR DELETE ON "Category"
FOR EACH ROW EXECUTE FUNCTION category_cache_invalidate();
