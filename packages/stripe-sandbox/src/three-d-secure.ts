// The next_action that sends an intent (payment or setup) to the sandbox's 3-D Secure page (src/challenge.ts).
import type { Core } from "./context.js";
import { newId } from "./ids.js";

/** Either way of authenticating, as Stripe shapes it on both PaymentIntents and SetupIntents. */
export type ChallengeAction =
  | { type: "use_stripe_sdk"; use_stripe_sdk: { type: "three_d_secure_redirect"; stripe_js: string; source: string } }
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string } };

function challengeUrl(
  core: Core,
  intent: { id: string; client_secret: string | null },
  mode: "frame" | "redirect",
  returnUrl: string | null,
) {
  const q = new URLSearchParams({ client_secret: intent.client_secret!, mode });
  if (returnUrl) q.set("return_url", returnUrl);
  return `${core.origin}/3ds/challenge/${intent.id}?${q}`;
}

/** Stripe.js handles 3-D Secure itself (use_stripe_sdk); a server-side confirm with return_url gets a redirect. */
export function challengeAction(
  core: Core,
  intent: { id: string; client_secret: string | null },
  useStripeSdk: boolean,
  returnUrl: string | null,
): ChallengeAction {
  return useStripeSdk || !returnUrl
    ? {
        type: "use_stripe_sdk",
        use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: challengeUrl(core, intent, "frame", null), source: newId("src") },
      }
    : { type: "redirect_to_url", redirect_to_url: { url: challengeUrl(core, intent, "redirect", returnUrl), return_url: returnUrl } };
}
