// Entry of the Stripe.js stand-in served at SANDBOX/v3/stripe.js. Defines window.Stripe before @stripe/stripe-js
// looks for it, so loadStripe() uses this and injects nothing.
import { createStripe } from "./stripe-instance";

// The sandbox origin is wherever this script was loaded from (read while the script runs; currentScript is null later).
const sandboxOrigin = new URL((document.currentScript as HTMLScriptElement | null)?.src ?? location.href).origin;

function Stripe(publishableKey: unknown) {
  // Key checks follow Stripe.js's IntegrationErrors; live keys are refused because the sandbox is test mode only.
  if (typeof publishableKey !== "string" || publishableKey === "") {
    throw new Error(`Invalid value for Stripe(): apiKey should be a string. You specified: ${String(publishableKey)}.`);
  }
  if (/^(sk|rk)_/.test(publishableKey)) {
    throw new Error("You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.");
  }
  if (!publishableKey.startsWith("pk_test_")) {
    throw new Error(
      `Invalid value for Stripe(): the Stripe sandbox accepts only test publishable keys (pk_test_…). You specified: ${publishableKey}.`,
    );
  }
  return createStripe({ sandboxOrigin, publishableKey });
}

// @stripe/stripe-js v10 warns unless window.Stripe.version matches its release train.
Stripe.version = "endive";

Object.assign(window, { Stripe });
