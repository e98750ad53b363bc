// The 3-D Secure modal: Stripe.js shows the issuer's challenge in a frame over the page and waits for it to finish.
const COMPLETE_MESSAGE = "stripe-sandbox-3ds-complete";

/**
 * Opens `challengeUrl` in a modal frame; resolves once the challenge page posts its completion message. The page names
 * the intent as `paymentIntentId` (payments) or `setupIntentId` (setups); a message about another intent is ignored.
 */
export function openChallenge(challengeUrl: string, sandboxOrigin: string, intentId: string): Promise<void> {
  const url = new URL(challengeUrl, sandboxOrigin);
  url.searchParams.set("mode", "frame");

  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const overlay = document.createElement("div");
  overlay.setAttribute(
    "style",
    "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(0,0,0,0.55);",
  );

  const dialog = document.createElement("div");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-label", "3D Secure authentication");
  dialog.setAttribute(
    "style",
    "width:min(500px,100vw);height:min(600px,100vh);background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,0.3);",
  );

  const iframe = document.createElement("iframe");
  // Name and title follow Stripe's challenge frame so tests written for the real modal find this one.
  iframe.name = "stripe-challenge-frame";
  iframe.title = "3D Secure challenge";
  iframe.src = url.toString();
  iframe.setAttribute("style", "width:100%;height:100%;border:0;display:block;");

  dialog.append(iframe);
  overlay.append(dialog);
  document.body.append(overlay);
  // The page behind the modal stays out of the tab order and the accessibility tree while it is open.
  const background = [...document.body.children].filter((child) => child !== overlay && !child.hasAttribute("inert"));
  background.forEach((child) => child.setAttribute("inert", ""));
  iframe.addEventListener("load", () => iframe.focus(), { once: true });

  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown; paymentIntentId?: unknown; setupIntentId?: unknown } | null;
      // Only the challenge page we opened may close the modal.
      if (event.origin !== sandboxOrigin || event.source !== iframe.contentWindow || data?.type !== COMPLETE_MESSAGE) return;
      const about = data.paymentIntentId ?? data.setupIntentId;
      if (about !== undefined && about !== intentId) return;
      window.removeEventListener("message", onMessage);
      background.forEach((child) => child.removeAttribute("inert"));
      overlay.remove();
      previousFocus?.focus();
      resolve();
    };
    window.addEventListener("message", onMessage);
  });
}
