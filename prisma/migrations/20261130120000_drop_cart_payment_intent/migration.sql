-- The cart's PaymentIntent id was written but never read: the order holds its intent.
-- DropIndex
DROP INDEX "Cart_paymentIntentId_key";

-- AlterTable
ALTER TABLE "Cart" DROP COLUMN "paymentIntentId";
