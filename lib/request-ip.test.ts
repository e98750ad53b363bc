import { describe, expect, it } from "vitest";
import { clientAddress } from "./request-ip";

const direct = (socket: string | null, forwardedFor: string | null = null) => clientAddress({ socket, forwardedFor, trustedHops: 0 });

describe("the client's address", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(direct("198.51.100.4")).toBe("198.51.100.4");
    const forged = ["1.1.1.1", "2.2.2.2, 3.3.3.3", "x".repeat(8_000)].map((spoof) => direct("198.51.100.4", spoof));
    expect(new Set(forged)).toEqual(new Set(["198.51.100.4"]));
  });

  it("is the entry the farthest trusted proxy appended, never one the client wrote", () => {
    // client → CDN (appends the client) → load balancer (appends the CDN) → shop (socket: the load balancer)
    const twoHops = (spoof: string) =>
      clientAddress({ socket: "10.0.0.2", forwardedFor: `${spoof}198.51.100.4, 10.0.0.1`, trustedHops: 2 });
    expect(new Set(["", "1.1.1.1, ", "9.9.9.9, 8.8.8.8, "].map(twoHops))).toEqual(new Set(["198.51.100.4"]));
    expect(clientAddress({ socket: "10.0.0.1", forwardedFor: "203.0.113.9, 198.51.100.4", trustedHops: 1 })).toBe("198.51.100.4");
  });

  it("is unknown when a trusted hop is missing or wrote something that is not an address", () => {
    expect(clientAddress({ socket: "10.0.0.1", forwardedFor: null, trustedHops: 1 })).toBe("unknown");
    expect(clientAddress({ socket: "10.0.0.1", forwardedFor: "not-an-ip", trustedHops: 1 })).toBe("unknown");
  });

  it("never becomes a long key, however long the header", () => {
    const padded = `${"a".repeat(8_000)}`;
    expect(clientAddress({ socket: "10.0.0.1", forwardedFor: padded, trustedHops: 1 })).toBe("unknown");
    expect(clientAddress({ socket: null, forwardedFor: `1.1.1.1, ${padded}`, trustedHops: 0 })).toBe("unknown");
    expect(direct(`${"1".repeat(100)}`)).toBe("unknown");
  });

  it("writes one client one way (IPv4-mapped IPv6, brackets, case)", () => {
    expect(direct("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(direct("2001:DB8::1")).toBe("2001:db8::1");
    expect(clientAddress({ socket: "10.0.0.1", forwardedFor: "[2001:db8::1]", trustedHops: 1 })).toBe("2001:db8::1");
  });

  it("falls back to the last X-Forwarded-For entry where no socket address was stamped", () => {
    expect(clientAddress({ socket: null, forwardedFor: "203.0.113.99, 198.51.100.4", trustedHops: 0 })).toBe("198.51.100.4");
    expect(clientAddress({ socket: null, forwardedFor: null, trustedHops: 0 })).toBe("unknown");
  });
});
