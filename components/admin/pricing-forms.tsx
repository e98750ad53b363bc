"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import {
  createDiscountCodeAction,
  createShippingRateAction,
  createShippingZoneAction,
  createTaxRateAction,
  deleteShippingRateAction,
  deleteShippingZoneAction,
  deleteTaxRateAction,
  removeDiscountCodeAction,
  setPricesIncludeTaxAction,
  updateDiscountCodeAction,
  updateShippingRateAction,
  updateShippingZoneAction,
  updateTaxRateAction,
  type AdminActionResult,
  type PricingSaveResult,
} from "@/components/admin/actions";
import { ActionOutcome, ConfirmActionButton, requestFailed } from "@/components/admin/action-button";
import { Field, FieldMessages } from "@/components/admin/described-field";
import {
  COUNTRY_CHOICES,
  type DiscountCodeFormInput,
  type ShippingRateFormInput,
  type ShippingZoneFormInput,
  type TaxRateFormInput,
} from "@/lib/admin/pricing-rules";

// The pricing admin's forms: discount codes, shipping zones, their rates and tax rates, and the shop's "prices
// include tax" switch. The server validates everything (lib/admin/pricing-rules.ts) and answers every bad field
// at once; each error is shown beside its field and the first one gets the focus. A viewer gets the same fields,
// disabled, and no buttons.

const input = "w-full rounded-lg border border-stone-300 px-2 py-1 disabled:bg-stone-100";
const primary = "rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white";
const READ_ONLY_NOTE = "Your role can read pricing but not change it.";

/** One save at a time per form (a double click sends one request), with its outcome and field errors. */
function useSave(prefix: string) {
  const [result, setResult] = useState<PricingSaveResult | null>(null);
  const inFlight = useRef(false);
  const errors: Record<string, string> = result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {};

  async function run(call: () => Promise<PricingSaveResult>, onSaved: (id: string) => void) {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const outcome = await call();
      setResult(outcome);
      if (outcome.ok) onSaved(outcome.id);
      else if ("fieldErrors" in outcome) {
        const first = Object.keys(outcome.fieldErrors)[0];
        if (first) document.getElementById(`${prefix}-${first}`)?.focus();
      }
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }
  return { result, errors, run };
}

/** A checkbox with its label after it; a flag is always valid, so it has no error of its own. */
function Check({
  control,
  label,
  checked,
  onChange,
}: {
  control: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label htmlFor={control} className="flex items-center gap-2 text-sm font-medium text-stone-800">
      <input id={control} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

function Footer({ readOnly, label, result }: { readOnly: boolean; label: string; result: PricingSaveResult | null }) {
  if (readOnly) return <p className="text-sm text-stone-600">{READ_ONLY_NOTE}</p>;
  return (
    <div className="flex items-center gap-3">
      <button type="submit" className={primary}>
        {label}
      </button>
      <ActionOutcome result={result} />
    </div>
  );
}

/** Runs a delete and, when it worked, leaves for `to`. */
function DeleteButton({
  label,
  confirmText,
  run,
  to,
}: {
  label: string;
  confirmText: string;
  run: () => Promise<AdminActionResult>;
  to: string;
}) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label={label}
      confirmText={confirmText}
      run={run}
      onDone={() => {
        router.push(to);
        router.refresh();
      }}
    />
  );
}

// ------------------------------------------------------------------------------------------ settings

/** The shop's one pricing switch; changing it changes the next checkout's figures, never an order's. */
export function PricesIncludeTaxForm({ initial, readOnly }: { initial: boolean; readOnly: boolean }) {
  const router = useRouter();
  const [checked, setChecked] = useState(initial);
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current || readOnly) return;
    inFlight.current = true;
    try {
      const outcome = await setPricesIncludeTaxAction({ pricesIncludeTax: checked });
      setResult(outcome);
      if (outcome.ok) router.refresh();
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <fieldset disabled={readOnly}>
        <Check control="pricing-includes-tax" label="Prices include tax" checked={checked} onChange={setChecked} />
      </fieldset>
      {readOnly ? null : (
        <div className="flex items-center gap-3">
          <button type="submit" className={primary}>
            Save setting
          </button>
          <ActionOutcome result={result} />
        </div>
      )}
    </form>
  );
}

// ------------------------------------------------------------------------------------------ discount codes

type Choice = { id: string; name: string; active: boolean };

export function DiscountCodeForm(props: {
  code: { id: string; uses: number } | null;
  initial: DiscountCodeFormInput;
  choices: { products: Choice[]; categories: Choice[] };
  currency: string;
  readOnly: boolean;
}) {
  const { code, initial, choices, currency, readOnly } = props;
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const { result, errors, run } = useSave("code");
  const set = <K extends keyof DiscountCodeFormInput>(key: K, value: DiscountCodeFormInput[K]) =>
    setFields((f) => ({ ...f, [key]: value }));
  const text = (key: keyof DiscountCodeFormInput, label: string, hint?: string) => (
    <Field control={`code-${key}`} label={label} hint={hint} error={errors[key]}>
      {(described) => (
        <input
          id={`code-${key}`}
          className={input}
          value={fields[key] as string}
          onChange={(e) => set(key, e.target.value)}
          {...described}
        />
      )}
    </Field>
  );
  const picker = (key: "productIds" | "categoryIds", label: string, options: Choice[]) => (
    <Field control={`code-${key}`} label={label} hint="None chosen in either list: the code applies to everything." error={errors[key]}>
      {(described) => (
        <select
          id={`code-${key}`}
          multiple
          size={6}
          className={input}
          value={fields[key]}
          onChange={(e) =>
            set(
              key,
              Array.from(e.target.selectedOptions, (option) => option.value),
            )
          }
          {...described}
        >
          {options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
              {option.active ? "" : " (archived)"}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    void run(
      () => (code ? updateDiscountCodeAction({ ...fields, id: code.id }) : createDiscountCodeAction(fields)),
      (id) => (code ? router.refresh() : router.push(`/admin/pricing/codes/${id}`)),
    );
  }

  const unit = currency.toUpperCase();
  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4 rounded-xl border border-stone-200 bg-white p-4" noValidate>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          {text("code", "Code", "3–32 letters, digits, - or _; shoppers may type it in any case.")}
          <Field control="code-kind" label="Kind of discount" error={errors.kind}>
            {(described) => (
              <select id="code-kind" className={input} value={fields.kind} onChange={(e) => set("kind", e.target.value)} {...described}>
                <option value="percentage">Percentage off</option>
                <option value="fixed">Fixed amount off ({unit})</option>
              </select>
            )}
          </Field>
          {text(
            "value",
            fields.kind === "fixed" ? `Amount off (${unit})` : "Percent off",
            fields.kind === "fixed" ? "e.g. 5.00" : "e.g. 10 or 12.5",
          )}
          {text("minimumSubtotal", `Minimum subtotal (${unit}, optional)`, "Measured before discounts.")}
          {text("startsAt", "Starts (UTC, optional)", "A date (2026-12-01) or date and time (2026-12-01T09:00).")}
          {text("endsAt", "Ends (UTC, optional)", "The first moment the code no longer applies.")}
          {text("usageLimit", "Uses in all (optional)", "Paid orders and orders still being paid count.")}
          {text("perEmailLimit", "Uses per shopper email (optional)")}
          {picker("productIds", "Only these products", choices.products)}
          {picker("categoryIds", "Only these categories", choices.categories)}
          <Check control="code-active" label="Active: shoppers can use it" checked={fields.active} onChange={(v) => set("active", v)} />
        </fieldset>
        <Footer readOnly={readOnly} label={code ? "Save" : "Create code"} result={result} />
      </form>
      {code && !readOnly ? (
        <DeleteButton
          label={code.uses > 0 ? "Deactivate code" : "Delete code"}
          confirmText={
            code.uses > 0
              ? "This code has been used, so it will be deactivated (orders keep their history). Go on?"
              : "Delete this unused code for good?"
          }
          run={() => removeDiscountCodeAction({ id: code.id })}
          to="/admin/pricing"
        />
      ) : null}
    </div>
  );
}

// ------------------------------------------------------------------------------------------ shipping zones

export function ShippingZoneForm({
  zone,
  initial,
  readOnly,
}: {
  zone: { id: string } | null;
  initial: ShippingZoneFormInput;
  readOnly: boolean;
}) {
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const { result, errors, run } = useSave("zone");
  const set = <K extends keyof ShippingZoneFormInput>(key: K, value: ShippingZoneFormInput[K]) =>
    setFields((f) => ({ ...f, [key]: value }));
  const toggleCountry = (code: string, on: boolean) =>
    set("countries", on ? [...fields.countries, code] : fields.countries.filter((country) => country !== code));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    void run(
      () => (zone ? updateShippingZoneAction({ ...fields, id: zone.id }) : createShippingZoneAction(fields)),
      (id) => (zone ? router.refresh() : router.push(`/admin/pricing/zones/${id}`)),
    );
  }

  const countriesError = errors.countries;
  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4 rounded-xl border border-stone-200 bg-white p-4" noValidate>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          <Field control="zone-name" label="Name" error={errors.name}>
            {(described) => (
              <input id="zone-name" className={input} value={fields.name} onChange={(e) => set("name", e.target.value)} {...described} />
            )}
          </Field>
          <Field control="zone-position" label="Position" hint="0 comes first." error={errors.position}>
            {(described) => (
              <input
                id="zone-position"
                inputMode="numeric"
                className={input}
                value={fields.position}
                onChange={(e) => set("position", e.target.value)}
                {...described}
              />
            )}
          </Field>
          <fieldset
            id="zone-countries"
            tabIndex={-1}
            className="sm:col-span-2"
            {...(countriesError ? { "aria-invalid": true } : {})}
            aria-describedby={`zone-countries-hint${countriesError ? " zone-countries-error" : ""}`}
          >
            <legend className="text-sm font-medium text-stone-800">Countries</legend>
            <div className="mt-1 grid grid-cols-2 gap-1 sm:grid-cols-4">
              {COUNTRY_CHOICES.map((country) => (
                <label key={country.code} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={fields.countries.includes(country.code)}
                    onChange={(e) => toggleCountry(country.code, e.target.checked)}
                  />
                  {country.name} ({country.code})
                </label>
              ))}
            </div>
            <FieldMessages control="zone-countries" hint="A country can be in one active zone only." error={countriesError} />
          </fieldset>
          <Check
            control="zone-taxShipping"
            label="Tax shipping (at the destination's standard rate)"
            checked={fields.taxShipping}
            onChange={(v) => set("taxShipping", v)}
          />
          <Check control="zone-active" label="Active: checkout ships here" checked={fields.active} onChange={(v) => set("active", v)} />
        </fieldset>
        <Footer readOnly={readOnly} label={zone ? "Save zone" : "Create zone"} result={result} />
      </form>
      {zone && !readOnly ? (
        <DeleteButton
          label="Delete zone"
          confirmText="Delete this zone and all its rates? Orders already placed keep what they paid for shipping."
          run={() => deleteShippingZoneAction({ id: zone.id })}
          to="/admin/pricing"
        />
      ) : null}
    </div>
  );
}

// ------------------------------------------------------------------------------------------ shipping rates

/** A rate of a zone; several sit on the zone's page, so each one's ids carry its own prefix. */
export function ShippingRateForm(props: {
  zoneId: string;
  rate: { id: string } | null;
  initial: ShippingRateFormInput;
  currency: string;
  readOnly: boolean;
}) {
  const { zoneId, rate, initial, currency, readOnly } = props;
  const router = useRouter();
  const prefix = `rate-${rate?.id ?? "new"}`;
  const [fields, setFields] = useState(initial);
  const { result, errors, run } = useSave(prefix);
  const set = <K extends keyof ShippingRateFormInput>(key: K, value: ShippingRateFormInput[K]) =>
    setFields((f) => ({ ...f, [key]: value }));
  const unit = currency.toUpperCase();
  const text = (key: "name" | "amount" | "freeFrom" | "position", label: string, hint?: string) => (
    <Field control={`${prefix}-${key}`} label={label} hint={hint} error={errors[key]}>
      {(described) => (
        <input id={`${prefix}-${key}`} className={input} value={fields[key]} onChange={(e) => set(key, e.target.value)} {...described} />
      )}
    </Field>
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    void run(
      () => (rate ? updateShippingRateAction({ ...fields, id: rate.id }) : createShippingRateAction({ ...fields, zoneId })),
      () => {
        // A new rate's form starts over for the next one; the list above comes from the server.
        if (!rate) setFields(initial);
        router.refresh();
      },
    );
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          {text("name", "Name", "What the shopper chooses, e.g. Standard (3–5 business days).")}
          <Field control={`${prefix}-kind`} label="Priced by" error={errors.kind}>
            {(described) => (
              <select
                id={`${prefix}-kind`}
                className={input}
                value={fields.kind}
                onChange={(e) => set("kind", e.target.value)}
                {...described}
              >
                <option value="flat">A flat amount</option>
                <option value="weight">Weight brackets</option>
              </select>
            )}
          </Field>
          {fields.kind === "weight" ? (
            <div className="sm:col-span-2">
              <Field
                control={`${prefix}-brackets`}
                label={`Brackets (grams: ${unit})`}
                hint="One per line, lightest first, e.g. “1000: 14.99”; the last may be “*: 49.99” for anything heavier."
                error={errors.brackets}
              >
                {(described) => (
                  <textarea
                    id={`${prefix}-brackets`}
                    rows={4}
                    className={`${input} font-mono`}
                    value={fields.brackets}
                    onChange={(e) => set("brackets", e.target.value)}
                    {...described}
                  />
                )}
              </Field>
            </div>
          ) : (
            text("amount", `Amount (${unit})`, "0 for free shipping.")
          )}
          {text("freeFrom", `Free from (${unit}, optional)`, "Free when the discounted subtotal reaches this.")}
          {text("position", "Position", "0 is offered first.")}
          <Check
            control={`${prefix}-active`}
            label="Active: offered at checkout"
            checked={fields.active}
            onChange={(v) => set("active", v)}
          />
        </fieldset>
        {readOnly ? null : (
          <div className="flex items-center gap-3">
            <button type="submit" className={primary}>
              {rate ? "Save rate" : "Add rate"}
            </button>
            <ActionOutcome result={result} />
          </div>
        )}
      </form>
      {rate && !readOnly ? (
        <DeleteButton
          label="Delete rate"
          confirmText="Delete this rate? Orders already placed keep what they paid for shipping."
          run={() => deleteShippingRateAction({ id: rate.id })}
          to={`/admin/pricing/zones/${zoneId}`}
        />
      ) : null}
    </div>
  );
}

// ------------------------------------------------------------------------------------------ tax rates

export function TaxRateForm({
  taxRate,
  initial,
  readOnly,
}: {
  taxRate: { id: string } | null;
  initial: TaxRateFormInput;
  readOnly: boolean;
}) {
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const { result, errors, run } = useSave("tax");
  const set = (key: keyof TaxRateFormInput, value: string) => setFields((f) => ({ ...f, [key]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    void run(
      () => (taxRate ? updateTaxRateAction({ ...fields, id: taxRate.id }) : createTaxRateAction(fields)),
      (id) => (taxRate ? router.refresh() : router.push(`/admin/pricing/tax-rates/${id}`)),
    );
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4 rounded-xl border border-stone-200 bg-white p-4" noValidate>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          <Field control="tax-name" label="Name" hint="Shown on receipts, e.g. German VAT." error={errors.name}>
            {(described) => (
              <input id="tax-name" className={input} value={fields.name} onChange={(e) => set("name", e.target.value)} {...described} />
            )}
          </Field>
          <Field control="tax-country" label="Country" error={errors.country}>
            {(described) => (
              <select
                id="tax-country"
                className={input}
                value={fields.country}
                onChange={(e) => set("country", e.target.value)}
                {...described}
              >
                <option value="">Choose a country</option>
                {COUNTRY_CHOICES.map((country) => (
                  <option key={country.code} value={country.code}>
                    {country.name} ({country.code})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            control="tax-region"
            label="Region (optional)"
            hint="Blank: the whole country. For the US, the state's code (e.g. CA); a region's rate replaces the country's there."
            error={errors.region}
          >
            {(described) => (
              <input
                id="tax-region"
                className={input}
                value={fields.region}
                onChange={(e) => set("region", e.target.value)}
                {...described}
              />
            )}
          </Field>
          <Field
            control="tax-taxClass"
            label="Tax class"
            hint="Products with the reduced class use the reduced rate."
            error={errors.taxClass}
          >
            {(described) => (
              <select
                id="tax-taxClass"
                className={input}
                value={fields.taxClass}
                onChange={(e) => set("taxClass", e.target.value)}
                {...described}
              >
                <option value="standard">Standard</option>
                <option value="reduced">Reduced</option>
              </select>
            )}
          </Field>
          <Field control="tax-rate" label="Rate (%)" hint="e.g. 19 or 7.25." error={errors.rate}>
            {(described) => (
              <input
                id="tax-rate"
                inputMode="decimal"
                className={input}
                value={fields.rate}
                onChange={(e) => set("rate", e.target.value)}
                {...described}
              />
            )}
          </Field>
        </fieldset>
        <Footer readOnly={readOnly} label={taxRate ? "Save" : "Create tax rate"} result={result} />
      </form>
      {taxRate && !readOnly ? (
        <DeleteButton
          label="Delete tax rate"
          confirmText="Delete this tax rate? Orders already placed keep the tax they were charged."
          run={() => deleteTaxRateAction({ id: taxRate.id })}
          to="/admin/pricing"
        />
      ) : null}
    </div>
  );
}
