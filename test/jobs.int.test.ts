// The background jobs (lib/jobs) against the real PostgreSQL and Stripe sandbox: each job's work called as
// its worker calls it, and the pg-boss wiring with two queues on one database, as two app instances run it.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { startJobQueue, type JobDefinition } from "@/lib/jobs/boss";
import { purgeAbandonedCarts } from "@/lib/jobs/purge-abandoned-carts";
import { purgeRateLimitRows } from "@/lib/jobs/purge-rate-limit-rows";
import { releaseExpiredReservationsJob, sweepExpiredReservations } from "@/lib/jobs/release-expired-reservations";
import { JOBS } from "@/lib/jobs/runner";
import { cartWith, checkoutDetails, stockOf, testProduct } from "./support/catalog";
import { insertOrder } from "./support/orders";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms);

/** A checkout holding `quantity` of a new product, with its reservation already run out. */
async function expiredCheckout(quantity = 2) {
  const item = await testProduct(5);
  const result = await startCheckout(await cartWith([{ variantId: item.variantId, quantity }]), checkoutDetails);
  if (!result.ok) throw new Error(`checkout refused: ${result.code}`);
  await prisma.order.update({ where: { id: result.summary.orderId }, data: { reservedUntil: ago(1_000) } });
  return { item, orderId: result.summary.orderId };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("release-expired-reservations", () => {
  it("cancels checkouts whose reservation ran out and puts their stock back; live ones keep theirs", async () => {
    const expired = await expiredCheckout(2);
    const liveItem = await testProduct(5);
    const live = await startCheckout(await cartWith([{ variantId: liveItem.variantId, quantity: 1 }]), checkoutDetails);
    if (!live.ok) throw new Error(live.code);

    await sweepExpiredReservations();
    expect(await prisma.order.findUniqueOrThrow({ where: { id: expired.orderId } })).toMatchObject({
      status: "canceled",
      stockReserved: false,
    });
    expect(await stockOf(expired.item.variantId)).toBe(5);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: live.summary.orderId } })).toMatchObject({
      status: "pending",
      stockReserved: true,
    });
    expect(await stockOf(liveItem.variantId)).toBe(4);
  });

  it("is scheduled every minute, one run at a time, without retries (the next minute is the retry)", () => {
    expect(JOBS).toContain(releaseExpiredReservationsJob);
    expect(releaseExpiredReservationsJob).toMatchObject({ cron: "* * * * *", queue: { policy: "stately", retryLimit: 0 } });
    // Scheduled sweeps never overlap; queues of sent jobs (emails, refunds) take many jobs at once.
    for (const job of JOBS.filter((j) => j.cron)) expect(job.queue.policy).toBe("stately");
  });
});

describe("purge-abandoned-carts", () => {
  it("deletes open carts untouched for 30 days that no order points to, with their lines, and nothing else", async () => {
    const item = await testProduct(10);
    const line = [{ variantId: item.variantId, quantity: 1 }];
    const abandoned = await cartWith(line);
    const ordered = (await insertOrder({ total: 2500 })).cartId;
    const lineChangedLately = await cartWith(line);
    const youngerThan30Days = await cartWith(line);
    const checkedOut = await cartWith(line);
    await prisma.cart.update({ where: { id: checkedOut }, data: { status: "checked_out" } });

    const old = ago(31 * DAY);
    await prisma.cart.updateMany({ where: { id: { in: [abandoned, ordered, lineChangedLately, checkedOut] } }, data: { updatedAt: old } });
    await prisma.cart.update({ where: { id: youngerThan30Days }, data: { updatedAt: ago(29 * DAY) } });
    await prisma.cartItem.updateMany({ where: { cartId: { in: [abandoned, youngerThan30Days, checkedOut] } }, data: { updatedAt: old } });

    const { deletedCarts } = await purgeAbandonedCarts();
    expect(deletedCarts).toBeGreaterThanOrEqual(1);
    const left = await prisma.cart.findMany({
      where: { id: { in: [abandoned, ordered, lineChangedLately, youngerThan30Days, checkedOut] } },
      select: { id: true },
    });
    expect(left.map((cart) => cart.id).sort()).toEqual([ordered, lineChangedLately, youngerThan30Days, checkedOut].sort());
    expect(await prisma.cartItem.count({ where: { cartId: abandoned } })).toBe(0);
  });
});

describe("purge-rate-limit-rows", () => {
  it("deletes checkout hits and failed sign-ins that fell out of their windows, and keeps the rest", async () => {
    const key = `test:${randomUUID()}`;
    await prisma.rateLimitHit.createMany({
      data: [
        { key, createdAt: ago(61 * MINUTE) },
        { key, createdAt: ago(30 * MINUTE) },
      ],
    });
    const account = `account:purge-${randomUUID()}@example.com`;
    await prisma.adminLoginAttempt.createMany({
      data: [
        { key: account, createdAt: ago(61 * MINUTE) },
        { key: account, createdAt: ago(5 * MINUTE) },
      ],
    });

    const purged = await purgeRateLimitRows();
    expect(purged.rateLimitHits).toBeGreaterThanOrEqual(1);
    expect(purged.adminLoginAttempts).toBeGreaterThanOrEqual(1);
    expect(await prisma.rateLimitHit.findMany({ where: { key }, select: { createdAt: true } })).toHaveLength(1);
    expect(await prisma.adminLoginAttempt.findMany({ where: { key: account }, select: { createdAt: true } })).toHaveLength(1);
  });
});

describe("the job queue", () => {
  it("with two app instances on one database, every sweep job (scheduled or sent) runs exactly once", async () => {
    const schema = `pgboss_test_${randomBytes(4).toString("hex")}`;
    const runs: string[] = [];
    const counted = (job: JobDefinition, instance: string): JobDefinition => ({
      ...job,
      run: async (run) => {
        runs.push(instance);
        return job.run(run);
      },
    });
    const expired = await expiredCheckout();
    const instances = await Promise.all(
      ["a", "b"].map((instance) =>
        startJobQueue({
          connectionString: process.env.DATABASE_URL!,
          schema,
          jobs: [counted(releaseExpiredReservationsJob, instance)],
          pollingIntervalSeconds: 1,
        }),
      ),
    );
    const { name } = releaseExpiredReservationsJob;
    const sweeps = () =>
      prisma.$queryRawUnsafe<Array<{ id: string; state: string }>>(
        `SELECT id::text, state::text FROM "${schema}".job WHERE name = $1 ORDER BY created_on`,
        name,
      );
    const allDone = (jobs: Array<{ state: string }>) => jobs.every((job) => job.state === "completed");
    try {
      // Both instances' clock monitors check the schedule every second; one of them fires it, once per minute.
      await until(sweeps, (jobs) => jobs.length >= 1 && allDone(jobs), "the scheduled sweep");
      await instances[0]!.boss.unschedule(name);
      expect(await prisma.order.findUniqueOrThrow({ where: { id: expired.orderId } })).toMatchObject({ status: "canceled" });

      const sentId = await instances[1]!.boss.send(name, {});
      expect(sentId).toBeTruthy();
      await until(sweeps, (jobs) => jobs.some((job) => job.id === sentId) && allDone(jobs), "the sent sweep");
      // Both instances poll every second: give them time to take a job twice if they could.
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      const jobs = await until(sweeps, allDone, "the last sweeps");
      expect(runs).toHaveLength(jobs.length);
      // The schedule was turned into at most one job per minute, however many instances watched it.
      const fired = await prisma.$queryRawUnsafe<Array<{ slot: Date; jobs: number }>>(
        `SELECT singleton_on AS slot, count(*)::int AS jobs FROM "${schema}".job WHERE name = '__pgboss__send-it' GROUP BY 1`,
      );
      expect(fired.length).toBeGreaterThanOrEqual(1);
      for (const slot of fired) expect(slot.jobs).toBe(1);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
      await prisma.$executeRawUnsafe(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });
});

describe("the indexes the jobs scan", () => {
  it("are partial: pending orders holding stock, open carts", async () => {
    const rows = await prisma.$queryRaw<Array<{ indexname: string; indexdef: string }>>`
      SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = 'public' AND indexname IN ('Order_reservedUntil_idx', 'Cart_updatedAt_idx') ORDER BY indexname`;
    expect(rows.map((row) => row.indexname)).toEqual(["Cart_updatedAt_idx", "Order_reservedUntil_idx"]);
    expect(rows[0]!.indexdef).toMatch(/WHERE \(status = 'open'::"CartStatus"\)$/);
    expect(rows[1]!.indexdef).toMatch(/WHERE \(\(status = 'pending'::"OrderStatus"\) AND \("stockReserved" = true\)\)$/);
  });
});
