import { describe, expect, it } from "vitest";
import { addressOf } from "./request-ip";

describe("the client's address", () => {
  it("is the last X-Forwarded-For entry, the one the nearest proxy added", () => {
    expect(addressOf("198.51.100.4", null)).toBe("198.51.100.4");
    expect(addressOf("203.0.113.99, 198.51.100.4", null)).toBe("198.51.100.4");
    expect(addressOf(" 10.0.0.1 ,198.51.100.4 , ", null)).toBe("198.51.100.4");
  });

  it("cannot be chosen by a client that sends its own header through a proxy", () => {
    const forged = ["1.1.1.1", "2.2.2.2", "3.3.3.3"].map((spoof) => addressOf(`${spoof}, 198.51.100.4`, null));
    expect(new Set(forged)).toEqual(new Set(["198.51.100.4"]));
  });

  it("falls back to X-Real-IP, then to unknown", () => {
    expect(addressOf(null, "198.51.100.4")).toBe("198.51.100.4");
    expect(addressOf("", " ")).toBe("unknown");
    expect(addressOf(null, null)).toBe("unknown");
  });
});
