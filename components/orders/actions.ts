"use server";

import { requestOrderLink } from "@/lib/order-link-request";
import type { OrderLinkResult } from "@/lib/order-link-rules";
import { clientIp } from "@/lib/request-ip";

// Thin wrapper: lib/order-link-request.ts validates, rate-limits and answers. The client's address comes from
// the request's headers, which only code running in a request can read, so it is read here.

/** The "Find your order" form's state: the last answer, and what was typed, so a refusal keeps it. */
export type FindOrderState = { result: OrderLinkResult | null; number: string; email: string };

const typed = (value: FormDataEntryValue | null, max: number) => (typeof value === "string" ? value.trim().slice(0, max) : "");

export async function requestOrderLinkAction(_previous: FindOrderState, form: FormData): Promise<FindOrderState> {
  const input = { number: form.get("number") ?? undefined, email: form.get("email") ?? undefined };
  const result = await requestOrderLink(input, { clientIp: await clientIp() });
  return { result, number: typed(form.get("number"), 40), email: typed(form.get("email"), 254) };
}
