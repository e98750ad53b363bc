// Escaping for the HTML part. Everything interpolated into `html` is escaped unless it is itself the result of
// `html` (a SafeHtml), which is the only way to insert markup: there is no "raw" escape hatch.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

// Module-private, so nothing outside this file can forge a SafeHtml.
const MARKUP = Symbol("markup");

/** Markup known to be safe: built by `html` from static template text and escaped values. */
export type SafeHtml = { readonly [MARKUP]: string; toString(): string };

/** null, undefined and false render nothing, so `${cond && html`…`}` works. */
type HtmlValue = string | number | SafeHtml | readonly SafeHtml[] | null | undefined | false;

function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && MARKUP in value;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (isSafeHtml(value)) return value[MARKUP];
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** Tagged template: html`<p>${name}</p>` escapes `name`; a nested html`…` (or an array of them) goes in as is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? "");
  });
  return { [MARKUP]: markup, toString: () => markup };
}

/**
 * The URL if it may go in an href: absolute http(s) only. Anything else (javascript:, data:, relative,
 * malformed) is shown as text by the callers, never linked.
 */
export function linkableUrl(url: string): string | null {
  const trimmed = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(trimmed) && URL.canParse(trimmed) ? trimmed : null;
}
