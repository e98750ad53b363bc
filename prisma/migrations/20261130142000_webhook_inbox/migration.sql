-- StripeEvent becomes the webhook inbox: the route records each verified event (with what it says about the
-- payment) and answers; the drain in lib/payments/inbox.ts applies it afterwards.
-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN     "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "failedAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "signal" JSONB;

-- CreateIndex
CREATE INDEX "StripeEvent_dueAt_idx" ON "StripeEvent"("dueAt") WHERE ("processedAt" IS NULL);

-- Hand-added (Prisma does not model triggers): recording an event wakes the listening drains, from the
-- inserting statement itself; NOTIFY is delivered at commit, so no drain wakes before the event is visible.
-- Only when no other event is due: while one is, a drain is already at work (it drains until none is due)
-- or its poll will find it within a second. That keeps a storm of webhooks from notifying on every insert,
-- which would serialize their commits (PostgreSQL holds a global lock on the notify queue through commit).
-- A redelivery (ON CONFLICT DO NOTHING, no row inserted) wakes nobody.
CREATE FUNCTION stripe_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted)
     AND NOT EXISTS (SELECT 1 FROM "StripeEvent" e
                      WHERE e."processedAt" IS NULL AND e."dueAt" <= now()
                        AND NOT EXISTS (SELECT 1 FROM inserted i WHERE i.id = e.id)) THEN
    PERFORM pg_notify('stripe_inbox', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "StripeEvent_inbox_notify" AFTER INSERT ON "StripeEvent"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION stripe_inbox_notify();
