import { describe, expect, it } from "vitest";
import { encodeForm } from "./api";

describe("form encoding", () => {
  it("nests objects and arrays in Stripe's bracket notation and leaves out nulls", () => {
    expect(
      decodeURIComponent(
        encodeForm({
          type: "card",
          card: { number: "4242", exp_month: 4 },
          expand: ["a", "b"],
          name: null,
          email: undefined,
          use_stripe_sdk: true,
        }),
      ),
    ).toBe("type=card&card[number]=4242&card[exp_month]=4&expand[0]=a&expand[1]=b&use_stripe_sdk=true");
  });

  it("escapes values", () => {
    expect(encodeForm({ return_url: "https://x.test/?a=1&b=2" })).toBe("return_url=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2");
  });
});
