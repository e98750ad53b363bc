// The payment methods beyond cards (docs/stripe-behaviour.md "Asynchronous and redirect payment methods"):
// SEPA Direct Debit and US bank accounts, which stay `processing` until the debit settles, and iDEAL, which sends
// the shopper to the bank's page. Which types an intent offers, how their details are checked, and what Stripe's
// test IBANs and account numbers do.
import type Stripe from "stripe";
import { invalidRequest, parameterMissing } from "../errors.js";
import type { FormObject } from "../form.js";
import { randomToken } from "../ids.js";
import { readEnum, readObject, readString } from "../params.js";
import type { CardBehaviour, Decline } from "./test-cards.js";

export const METHOD_TYPES = ["card", "sepa_debit", "us_bank_account", "ideal"] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/** The one currency each non-card method takes (cards take them all). */
const CURRENCY: Record<Exclude<MethodType, "card">, string> = { ideal: "eur", sepa_debit: "eur", us_bank_account: "usd" };
/** Methods that leave the page for the bank's; `allow_redirects=never` leaves them out. */
const REDIRECTS: ReadonlySet<MethodType> = new Set(["ideal"]);

/** What automatic payment methods turn on for a currency: card first, then the others that take it, by name. */
export function automaticTypes(currency: string, allowRedirects: string | undefined): MethodType[] {
  const others = (Object.keys(CURRENCY) as Exclude<MethodType, "card">[])
    .filter((type) => CURRENCY[type] === currency && !(allowRedirects === "never" && REDIRECTS.has(type)))
    .sort();
  return ["card", ...others];
}

/** Refuses a type the sandbox does not know, or one that cannot take the intent's currency (Stripe's two messages). */
export function checkTypes(types: string[], currency: string, param = "payment_method_types"): MethodType[] {
  for (const type of types) {
    if (!(METHOD_TYPES as readonly string[]).includes(type)) {
      throw invalidRequest(
        `The payment method type "${type}" is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use. The Stripe sandbox supports ${METHOD_TYPES.join(", ")}.`,
        { param },
      );
    }
    const only = CURRENCY[type as Exclude<MethodType, "card">];
    if (only && only !== currency) {
      throw invalidRequest(
        `The currency provided (${currency}) is invalid. Payments with ${type} support the following currencies: ${only}.`,
        { param: "currency" },
      );
    }
  }
  return types as MethodType[];
}

/**
 * `allowed_payment_method_types`: the listed types that suit the currency, in the list's order; the others are left
 * out silently, as Stripe does. Nothing usable left is refused.
 */
export function usableTypes(allowed: string[], currency: string): MethodType[] {
  const usable = allowed.filter(
    (type): type is MethodType =>
      (METHOD_TYPES as readonly string[]).includes(type) && (type === "card" || CURRENCY[type as Exclude<MethodType, "card">] === currency),
  );
  if (usable.length === 0) {
    throw invalidRequest(
      `None of the payment method types in \`allowed_payment_method_types\` (${allowed.join(", ")}) can be used with this PaymentIntent (currency ${currency}); the Stripe sandbox supports ${METHOD_TYPES.join(", ")}.`,
      { param: "allowed_payment_method_types" },
    );
  }
  return [...new Set(usable)];
}

// ---- checking the details ----

const FAILS = {
  insufficientFunds: {
    code: "insufficient_funds",
    decline_code: "insufficient_funds",
    message: "The customer's account has insufficient funds to cover this payment.",
  },
  accountClosed: { code: "account_closed", decline_code: "account_closed", message: "The customer's bank account has been closed." },
  noAccount: { code: "no_account", decline_code: "no_account", message: "The customer's bank account could not be located." },
  debitNotAuthorized: {
    code: "debit_not_authorized",
    decline_code: "debit_not_authorized",
    message: "The customer has notified their bank that this payment was unauthorized.",
  },
} satisfies Record<string, Decline>;

/** Stripe's test IBANs that fail once the debit is tried; every other valid IBAN succeeds. */
const FAILING_IBANS: Record<string, Decline> = {
  DE62370400440532013001: FAILS.insufficientFunds,
  AT861904300235473202: FAILS.insufficientFunds,
};

/** Stripe's test accounts at routing number 110000000 that fail; every other valid account succeeds. */
const FAILING_ACCOUNTS: Record<string, Decline> = {
  "000111111113": FAILS.accountClosed,
  "000111111116": FAILS.noAccount,
  "000222222227": FAILS.insufficientFunds,
  "000333333335": FAILS.debitNotAuthorized,
};

/** ISO 13616: country, two check digits, then the account; valid when the rearranged number mod 97 is 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/** ABA routing numbers: nine digits whose weighted sum (3, 7, 1, …) is a multiple of ten. */
export function routingValid(routing: string): boolean {
  if (!/^\d{9}$/.test(routing)) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  return [...routing].reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0) % 10 === 0;
}

const bankError = (code: string, message: string, param: string) => invalidRequest(message, { code, param });
/** Stable per account, like Stripe's fingerprint. */
const fingerprint = (value: string) => Buffer.from(value).toString("base64url").slice(-16);

export interface BuiltMethod {
  details: Pick<Stripe.PaymentMethod, "type" | "sepa_debit" | "us_bank_account" | "ideal">;
  behaviour: CardBehaviour;
}

function sepaDebit(data: FormObject, name: (key: string) => string, billing: Stripe.PaymentMethod.BillingDetails): BuiltMethod {
  const params = readObject(data, "sepa_debit", name("sepa_debit"));
  const raw = params ? readString(params, "iban", { name: name("sepa_debit[iban]") }) : undefined;
  if (!raw) throw parameterMissing(name("sepa_debit[iban]"));
  // SEPA mandates name the account holder and send them a notice, so Stripe wants both.
  if (!billing.name) throw parameterMissing(name("billing_details[name]"));
  if (!billing.email) throw parameterMissing(name("billing_details[email]"));
  const iban = raw.replace(/\s+/g, "").toUpperCase();
  if (!ibanValid(iban))
    throw bankError("invalid_bank_account_iban", "The IBAN you provided appears to be invalid.", name("sepa_debit[iban]"));
  const failure = FAILING_IBANS[iban];
  return {
    details: {
      type: "sepa_debit",
      sepa_debit: {
        bank_code: iban.slice(4, 12),
        branch_code: "",
        country: iban.slice(0, 2),
        fingerprint: fingerprint(iban),
        generated_from: { charge: null, setup_attempt: null },
        last4: iban.slice(-4),
      },
    },
    behaviour: failure ? { kind: "debits", failure } : { kind: "debits" },
  };
}

function usBankAccount(data: FormObject, name: (key: string) => string, billing: Stripe.PaymentMethod.BillingDetails): BuiltMethod {
  const params = readObject(data, "us_bank_account", name("us_bank_account")) || {};
  const routing = readString(params, "routing_number", { name: name("us_bank_account[routing_number]") });
  const account = readString(params, "account_number", { name: name("us_bank_account[account_number]") });
  if (!routing) throw parameterMissing(name("us_bank_account[routing_number]"));
  if (!account) throw parameterMissing(name("us_bank_account[account_number]"));
  if (!billing.name) throw parameterMissing(name("billing_details[name]"));
  if (!routingValid(routing))
    throw bankError("routing_number_invalid", "The routing number you provided is invalid.", name("us_bank_account[routing_number]"));
  if (!/^\d{4,17}$/.test(account))
    throw bankError("account_number_invalid", "The account number you provided is invalid.", name("us_bank_account[account_number]"));
  const holder =
    readEnum(params, "account_holder_type", ["individual", "company"] as const, name("us_bank_account[account_holder_type]")) ??
    "individual";
  const kind = readEnum(params, "account_type", ["checking", "savings"] as const, name("us_bank_account[account_type]")) ?? "checking";
  const failure = FAILING_ACCOUNTS[account];
  return {
    details: {
      type: "us_bank_account",
      us_bank_account: {
        account_holder_type: holder,
        account_type: kind,
        bank_name: "STRIPE TEST BANK",
        financial_connections_account: null,
        fingerprint: fingerprint(`${routing}:${account}`),
        last4: account.slice(-4),
        networks: { preferred: "ach", supported: ["ach"] },
        routing_number: routing,
        status_details: null,
      },
    },
    behaviour: failure ? { kind: "debits", failure } : { kind: "debits" },
  };
}

/** iDEAL banks and their BICs (the subset the sandbox names; any listed bank may be chosen). */
const IDEAL_BANKS: Record<string, string> = {
  abn_amro: "ABNANL2A",
  asn_bank: "ASNBNL21",
  bunq: "BUNQNL2A",
  ing: "INGBNL2A",
  knab: "KNABNL2H",
  rabobank: "RABONL2U",
  regiobank: "RBRBNL21",
  revolut: "REVOLT21",
  sns_bank: "SNSBNL2A",
  triodos_bank: "TRIONL2U",
};

function ideal(data: FormObject, name: (key: string) => string): BuiltMethod {
  const params = readObject(data, "ideal", name("ideal")) || {};
  const bank = readEnum(params, "bank", Object.keys(IDEAL_BANKS), name("ideal[bank]")) ?? null;
  return {
    details: {
      type: "ideal",
      ideal: {
        bank: bank as Stripe.PaymentMethod.Ideal.Bank | null,
        bic: (bank ? IDEAL_BANKS[bank] : null) as Stripe.PaymentMethod.Ideal.Bic | null,
      },
    },
    behaviour: { kind: "redirects" },
  };
}

/** Checks `data` for one of the non-card types; `name` turns a key into the param name errors report. */
export function buildBankMethod(
  type: Exclude<MethodType, "card">,
  data: FormObject,
  name: (key: string) => string,
  billing: Stripe.PaymentMethod.BillingDetails,
): BuiltMethod {
  switch (type) {
    case "sepa_debit":
      return sepaDebit(data, name, billing);
    case "us_bank_account":
      return usBankAccount(data, name, billing);
    case "ideal":
      return ideal(data, name);
  }
}

// ---- the charge's view of the method ----

/** `payment_method_details` of a charge made with a non-card method. */
export function chargeDetails(pm: Stripe.PaymentMethod, mandate: string | null): Stripe.Charge.PaymentMethodDetails {
  switch (pm.type) {
    case "sepa_debit": {
      const s = pm.sepa_debit!;
      return {
        type: "sepa_debit",
        sepa_debit: {
          bank_code: s.bank_code,
          branch_code: s.branch_code,
          country: s.country,
          fingerprint: s.fingerprint,
          last4: s.last4,
          mandate,
        },
      };
    }
    case "us_bank_account": {
      const u = pm.us_bank_account!;
      return {
        type: "us_bank_account",
        us_bank_account: {
          account_holder_type: u.account_holder_type,
          account_type: u.account_type,
          bank_name: u.bank_name,
          fingerprint: u.fingerprint,
          last4: u.last4,
          ...(mandate ? { mandate } : {}),
          payment_reference: null,
          routing_number: u.routing_number,
        },
      };
    }
    default: {
      const i = pm.ideal;
      return {
        type: pm.type,
        ideal: {
          bank: i?.bank ?? null,
          bic: i?.bic ?? null,
          generated_sepa_debit: null,
          generated_sepa_debit_mandate: null,
          iban_last4: "5264",
          transaction_id: randomToken(10).toUpperCase(),
          verified_name: pm.billing_details.name ?? "Jenny Rosen",
        },
      } as Stripe.Charge.PaymentMethodDetails;
    }
  }
}
