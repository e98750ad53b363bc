"use client";

// The pure entry loads nothing until loadStripe is called (the default entry injects js.stripe.com on import).
import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";

// The one configuration point between Stripe.js and a Stripe-compatible sandbox: when the server names
// another Stripe.js (STRIPE_JS_URL), it is loaded first, and loadStripe then uses the window.Stripe it
// defines instead of injecting js.stripe.com.
const loaded = new Map<string, Promise<Stripe | null>>();

function injectScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const existing = document.querySelector<HTMLScriptElement>(`script[src="${CSS.escape(src)}"]`);
    if (existing && "Stripe" in window) return resolve();
    const script = existing ?? Object.assign(document.createElement("script"), { src, async: true });
    script.addEventListener("load", () => resolve(), { once: true });
    script.addEventListener("error", () => reject(new Error("Stripe.js failed to load")), { once: true });
    if (!existing) document.head.appendChild(script);
  });
}

export function loadStripeOnce(publishableKey: string, stripeJsUrl: string | null): Promise<Stripe | null> {
  const key = `${publishableKey}|${stripeJsUrl ?? ""}`;
  let promise = loaded.get(key);
  if (!promise) {
    promise = stripeJsUrl ? injectScript(stripeJsUrl).then(() => loadStripe(publishableKey)) : loadStripe(publishableKey);
    loaded.set(key, promise);
  }
  return promise;
}
