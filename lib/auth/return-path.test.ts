import { describe, expect, it } from "vitest";
import { adminReturnPath } from "./return-path";

describe("the page the sign-in sends staff back to", () => {
  it("keeps a path under /admin with its query", () => {
    expect(adminReturnPath("/admin")).toBe("/admin");
    expect(adminReturnPath("/admin/orders?status=paid&q=a%20b")).toBe("/admin/orders?status=paid&q=a%20b");
    expect(adminReturnPath("/admin/orders/SF-7K3Q9D")).toBe("/admin/orders/SF-7K3Q9D");
  });

  it("never leaves the shop's origin", () => {
    for (const evil of [
      "//evil.example/admin",
      "/\\evil.example/admin",
      "\\\\evil.example",
      "https://evil.example/admin",
      "http:/evil.example/admin",
      "/\t/evil.example/admin",
      "/admin\n//evil.example",
      "javascript:alert(1)",
      " /admin",
    ]) {
      expect(adminReturnPath(evil), evil).toBe("/admin");
    }
  });

  it("refuses paths outside /admin, however they are spelt", () => {
    for (const outside of ["/", "/administrator", "/admin-evil", "/admin/../checkout", "/admin/%2e%2e/cart", "/ADMIN", "/api/cart"]) {
      expect(adminReturnPath(outside), outside).not.toMatch(/^\/(?!admin(\/|$|\?))/);
    }
    expect(adminReturnPath("/admin/../checkout")).toBe("/admin");
    expect(adminReturnPath("/administrator")).toBe("/admin");
  });

  it("refuses anything that is not a short string", () => {
    expect(adminReturnPath(undefined)).toBe("/admin");
    expect(adminReturnPath(["/admin/orders"])).toBe("/admin");
    expect(adminReturnPath(`/admin/${"a".repeat(600)}`)).toBe("/admin");
  });
});
