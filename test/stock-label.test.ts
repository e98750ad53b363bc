// The harness reads stock labels off the shop's pages and predicts them from the database with its own copy
// of the rule (lib/stock-state.ts lives in the shop); this keeps the copy saying what the shop says.
import { expectedStockLabel } from "@tidewater/harness";
import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/db", () => ({ prisma: {} }));

const { stockState } = await import("@/lib/stock-state");

describe("the harness's expected stock label", () => {
  it("is the label the shop shows, for every stock level and for retired products", () => {
    for (const active of [true, false]) {
      for (let stock = 0; stock <= 12; stock++) {
        expect(expectedStockLabel({ stock, active }), `stock ${stock}, active ${active}`).toBe(stockState({ stock, active }).label);
      }
    }
  });
});
