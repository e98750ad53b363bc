import { describe, expect, it } from "vitest";
import { appendQueryParams, redirectStatus, returnUrlFor } from "./redirect";

describe("return_url after confirmation", () => {
  const intent = { object: "payment_intent" as const, id: "pi_1", client_secret: "pi_1_secret_x", status: "succeeded" as const };

  it("adds the three parameters to a bare URL", () => {
    expect(returnUrlFor("https://shop.test/done", intent)).toBe(
      "https://shop.test/done?payment_intent=pi_1&payment_intent_client_secret=pi_1_secret_x&redirect_status=succeeded",
    );
  });

  it("names a SetupIntent's parameters setup_intent and setup_intent_client_secret", () => {
    expect(
      returnUrlFor("https://shop.test/saved", {
        object: "setup_intent",
        id: "seti_1",
        client_secret: "seti_1_secret_y",
        status: "succeeded",
      }),
    ).toBe("https://shop.test/saved?setup_intent=seti_1&setup_intent_client_secret=seti_1_secret_y&redirect_status=succeeded");
  });

  it("keeps existing parameters exactly and puts the new ones before the fragment", () => {
    expect(appendQueryParams("https://shop.test/done?order=a%20b&x=1#top", { p: "1" })).toBe(
      "https://shop.test/done?order=a%20b&x=1&p=1#top",
    );
    expect(appendQueryParams("https://shop.test/done?#f", { p: "1" })).toBe("https://shop.test/done?p=1#f");
  });

  it("maps intent status to redirect_status like Stripe", () => {
    expect(redirectStatus("requires_capture")).toBe("succeeded");
    expect(redirectStatus("processing")).toBe("processing");
    expect(redirectStatus("requires_payment_method")).toBe("failed");
  });
});
