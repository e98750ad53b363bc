import { describe, expect, it } from "vitest";
import { MIN_PASSWORD_LENGTH, passwordChangeInput } from "./password-rules";

const change = (currentPassword: string, newPassword: string, confirmPassword = newPassword) =>
  passwordChangeInput.safeParse({ currentPassword, newPassword, confirmPassword });
const firstError = (result: ReturnType<typeof change>) => (result.success ? null : result.error.issues[0]?.message);

describe("changing one's password", () => {
  it("accepts a new password as long as an invitation asks for, typed twice", () => {
    expect(change("the old password", "n".repeat(MIN_PASSWORD_LENGTH)).success).toBe(true);
  });

  it("refuses a new password shorter than an invitation accepts", () => {
    expect(firstError(change("the old password", "n".repeat(MIN_PASSWORD_LENGTH - 1)))).toMatch(`at least ${MIN_PASSWORD_LENGTH}`);
  });

  it("refuses a confirmation that differs from the new password", () => {
    expect(firstError(change("the old password", "a brand new password", "a brand new passw0rd"))).toMatch(/confirmation differ/);
  });

  it("refuses keeping the current password, and a missing current password", () => {
    expect(firstError(change("the same password", "the same password"))).toMatch(/not the current one/);
    expect(firstError(change("", "a brand new password"))).toMatch(/current password/);
  });

  it("refuses input that is not text", () => {
    expect(passwordChangeInput.safeParse({ currentPassword: 1, newPassword: null, confirmPassword: [] }).success).toBe(false);
  });
});
