// next/headers for integration tests: the framework's request context becomes a cookie jar and headers that the
// test controls. In a test file: `vi.mock("next/headers", () => import("./support/next-request"))`, then import
// `jar` and `requestHeaders` from here (the mock and the import are one module, so they share both).

export const jar = new Map<string, string>();

/** Next-Action marks a call from the hydrated page; a form posted without JavaScript has no such header. */
export const requestHeaders = new Headers({ "next-action": "test" });

export async function cookies() {
  return {
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  };
}

export async function headers() {
  return requestHeaders;
}
