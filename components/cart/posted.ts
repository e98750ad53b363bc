import type { CartResult, CartView } from "@/lib/cart/rules";
import { refusalFromCode } from "@/lib/cart/rules";
import { variantName } from "@/lib/variant-name";
import { addedStatus, type Refusal, type Status } from "@/components/cart/status-line";

// A cart form posted before hydration or without JavaScript is answered with a redirect to the cart page
// (post/redirect/get: a reload does not post again). What happened travels in that address: the change,
// the variant, and "ok" or the refusal's code, e.g. /cart?add=<variantId>&outcome=sold_out. Only codes are
// read back, never text, so a crafted link can make the page say nothing but our own sentences.

type Change = "add" | "update" | "remove";
const CHANGES: Change[] = ["add", "update", "remove"];

/** The cart page's address after a posted change. */
export function cartAfterPost(change: Change, variantId: string, result: CartResult): string {
  const query = new URLSearchParams({ [change]: variantId, outcome: result.ok ? "ok" : result.code });
  return `/cart?${query}`;
}

type SearchParams = Record<string, string | string[] | undefined>;

/** What the cart page says about a posted change: a notice after an add, an error beside a refused line. */
export type PostedOutcome = { notice: Status | null; lineErrors: Record<string, Refusal> };

export function readPosted(params: SearchParams, cart: CartView): PostedOutcome {
  const none: PostedOutcome = { notice: null, lineErrors: {} };
  const change = CHANGES.find((name) => typeof params[name] === "string");
  const outcome = params.outcome;
  if (!change || typeof outcome !== "string") return none;
  const variantId = params[change] as string;
  const line = cart.lines.find((candidate) => candidate.variantId === variantId);
  const title = line ? variantName(line.name, line.options) : undefined;

  if (outcome === "ok") {
    return change === "add" && line ? { notice: addedStatus(line.quantity, variantName(line.name, line.options)), lineErrors: {} } : none;
  }
  const refusal = refusalFromCode(outcome, title);
  if (!refusal) return none;
  const refused: Refusal = { code: refusal.code, text: refusal.message };
  // A refused change to a line is shown beside the line; anything else (an add, a line that is gone) above.
  if (change !== "add" && line) return { notice: null, lineErrors: { [line.variantId]: refused } };
  return { notice: { kind: "refused", ...refused }, lineErrors: {} };
}
