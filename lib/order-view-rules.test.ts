import { describe, expect, it } from "vitest";
import {
  countryName,
  formatOrderDate,
  fulfilmentWords,
  isOrderTokenShape,
  maskedAddress,
  maskEmail,
  maskName,
  maskPostalCode,
  maskStreet,
  paymentWords,
  trackingHref,
} from "./order-view-rules";
import { ORDER_STATUSES } from "./order-status";

describe("the shipping address on the status page", () => {
  it("shows only the first letter of each word of the name", () => {
    expect(maskName("Grace Tester")).toBe("G… T…");
    expect(maskName("  Jean-Luc   Picard ")).toBe("J… P…");
    expect(maskName("Ōtani")).toBe("Ō…");
    expect(maskName("")).toBe("…");
  });

  it("keeps a leading house number and the first two letters of the street", () => {
    expect(maskStreet("500 Howard Street")).toBe("500 Ho…");
    expect(maskStreet("1 Market St")).toBe("1 Ma…");
    expect(maskStreet("221B Baker Street")).toBe("221B Ba…");
    expect(maskStreet("12, Rue de Rivoli")).toBe("12 Ru…");
    expect(maskStreet("Flat 2, 10 Downing Street")).toBe("Fl…");
    expect(maskStreet("42")).toBe("42");
    expect(maskStreet(" ")).toBe("…");
  });

  it("keeps the first two characters of a postal code and the separators", () => {
    expect(maskPostalCode("94105")).toBe("94•••");
    expect(maskPostalCode("94105-1234")).toBe("94•••-••••");
    expect(maskPostalCode("SW1A 1AA")).toBe("SW•• •••");
    expect(maskPostalCode("1")).toBe("1");
  });

  it("shows the email's first letter and its domain", () => {
    expect(maskEmail("grace.tester@example.com")).toBe("g…@example.com");
    expect(maskEmail("not-an-email")).toBe("…");
  });

  it("gives name, street, place and country, and leaves the second line out", () => {
    const lines = maskedAddress({
      name: "Grace Tester",
      line1: "500 Howard Street",
      line2: "Apartment 12",
      city: "San Francisco",
      state: "CA",
      postalCode: "94105",
      country: "US",
    });
    expect(lines).toEqual(["G… T…", "500 Ho…", "San Francisco, CA, 94•••", "United States"]);
    expect(lines.join(" ")).not.toMatch(/Grace|Tester|Howard|Apartment|94105/);
  });

  it("names countries, and shows an unknown code as it is", () => {
    expect(countryName("gb")).toBe("United Kingdom");
    expect(countryName("ZZZ")).toBe("ZZZ");
  });
});

describe("the order's status in words", () => {
  it("has words for every payment status", () => {
    for (const status of ORDER_STATUSES) {
      const words = paymentWords(status);
      expect(words.label.length).toBeGreaterThan(0);
      expect(words.detail.length).toBeGreaterThan(0);
    }
    expect(paymentWords("paid").label).toBe("Paid");
    expect(paymentWords("partially_refunded").label).toBe("Partially refunded");
    expect(paymentWords("canceled").label).toBe("Canceled");
  });

  it("says an unshipped order is being prepared only once it is paid", () => {
    expect(fulfilmentWords("unfulfilled", "paid")?.label).toBe("Preparing your order");
    expect(fulfilmentWords("unfulfilled", "pending")).toBeNull();
    expect(fulfilmentWords("unfulfilled", "refunded")).toBeNull();
    expect(fulfilmentWords("unfulfilled", "canceled")).toBeNull();
    expect(fulfilmentWords("partially_shipped", "paid")?.label).toBe("Partly shipped");
    expect(fulfilmentWords("shipped", "partially_refunded")?.label).toBe("Shipped");
    expect(fulfilmentWords("delivered", "refunded")?.label).toBe("Delivered");
  });

  it("dates the order by its UTC day", () => {
    expect(formatOrderDate(new Date("2026-11-30T23:59:59Z"))).toBe("November 30, 2026");
  });
});

describe("links on the status page", () => {
  it("accepts only tokens shaped like the ones links carry", () => {
    expect(isOrderTokenShape("a".repeat(43))).toBe(true);
    expect(isOrderTokenShape("Ab-_0123456789Ab-_0123456789Ab-_0123456789A")).toBe(true);
    expect(isOrderTokenShape("a".repeat(42))).toBe(false);
    expect(isOrderTokenShape("a".repeat(44))).toBe(false);
    expect(isOrderTokenShape(`${"a".repeat(42)}=`)).toBe(false);
    expect(isOrderTokenShape(`${"a".repeat(42)}/`)).toBe(false);
  });

  it("makes a tracking link only of a web address", () => {
    expect(trackingHref("https://www.ups.com/track?tracknum=1Z999")).toBe("https://www.ups.com/track?tracknum=1Z999");
    expect(trackingHref("javascript:alert(1)")).toBeNull();
    expect(trackingHref("not a url")).toBeNull();
    expect(trackingHref(null)).toBeNull();
  });
});
