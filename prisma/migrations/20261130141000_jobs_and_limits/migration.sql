-- Reservations are capped from when their stock was first taken (lib/checkout/limits.ts); checkouts
-- recorded before this migration count from when they were placed.
-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "reservedAt" TIMESTAMP(3);

UPDATE "Order" SET "reservedAt" = "createdAt" WHERE "stockReserved";

-- CreateTable
CREATE TABLE "RateLimitHit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RateLimitHit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Cart_updatedAt_idx" ON "Cart"("updatedAt") WHERE ("status" = 'open');

-- CreateIndex
CREATE INDEX "Order_reservedUntil_idx" ON "Order"("reservedUntil") WHERE ("status" = 'pending' AND "stockReserved" = true);

-- CreateIndex
CREATE INDEX "RateLimitHit_key_createdAt_idx" ON "RateLimitHit"("key", "createdAt");
