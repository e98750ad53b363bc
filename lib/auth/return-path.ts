// Where the sign-in page sends someone afterwards (`?next=`). Parsed as a URL against a placeholder origin,
// so every trick a browser would resolve elsewhere ("//evil.example", "/\\evil.example", "https://…",
// "/admin/../elsewhere", tabs and newlines the URL parser drops) is judged by what it resolves to: only a
// path under /admin on the shop's own origin is kept, anything else becomes /admin.

const PLACEHOLDER = "http://shop.invalid";

export function adminReturnPath(wanted: unknown): string {
  if (typeof wanted !== "string" || wanted.length > 500 || !wanted.startsWith("/")) return "/admin";
  // Backslashes and control characters are read as "/" or dropped by browsers: refuse rather than guess.
  if (/[\\\u0000-\u001f\u007f]/.test(wanted)) return "/admin";
  let url: URL;
  try {
    url = new URL(wanted, PLACEHOLDER);
  } catch {
    return "/admin";
  }
  if (url.origin !== PLACEHOLDER) return "/admin";
  if (url.pathname !== "/admin" && !url.pathname.startsWith("/admin/")) return "/admin";
  return `${url.pathname}${url.search}${url.hash}`;
}
