import { z } from "zod";

// What a new staff password must be, wherever one is chosen (an invitation, a change of one's own password).
// Pure, so the browser form and the tests share the numbers.

export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is refused before it reaches scrypt. */
export const MAX_PASSWORD_LENGTH = 1024;

export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

/** The form on /admin/account: the current password, the new one, and the new one typed again. */
export const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(MAX_PASSWORD_LENGTH),
    newPassword,
    confirmPassword: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .refine((input) => input.confirmPassword === input.newPassword, {
    message: "The new password and its confirmation differ",
    path: ["confirmPassword"],
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    message: "Choose a new password, not the current one",
    path: ["newPassword"],
  });
