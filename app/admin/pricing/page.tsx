import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { PricesIncludeTaxForm } from "@/components/admin/pricing-forms";
import { pricingOverview } from "@/lib/admin/pricing";
import { percentText } from "@/lib/admin/pricing-rules";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { countryName } from "@/lib/countries";
import { formatMoney } from "@/lib/money";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

export const metadata: Metadata = { title: "Pricing" };

const link = "font-medium text-brand-800 hover:underline";
const newButton = "rounded-lg bg-brand-800 px-3 py-1.5 text-sm font-semibold text-white";
const money = (minor: number) => formatMoney(minor, SHOP_CURRENCY);
const moment = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—");

export default function PricingPage() {
  return (
    <Suspense fallback={<p>Loading pricing…</p>}>
      <PricingBody />
    </Suspense>
  );
}

async function PricingBody() {
  const session = await requireAdminPage("/admin/pricing");
  const writer = can(session.role, "catalog.write");
  const { pricesIncludeTax, zones, taxRates, codes } = await pricingOverview();
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Pricing</h1>
      <p className="text-sm text-stone-700">
        What checkout charges from now on. Orders keep the prices, discount, shipping and tax they were placed with: changes here never
        alter an order already placed or paid.
      </p>

      <section aria-labelledby="tax-setting" className="space-y-2 rounded-xl border border-stone-200 bg-white p-4">
        <h2 id="tax-setting" className="text-lg font-semibold text-stone-900">
          Prices and tax
        </h2>
        <p className="text-sm text-stone-700">
          {pricesIncludeTax
            ? "Prices include tax (EU style): the tax in a price is worked out of it, and the shopper pays the price shown."
            : "Prices exclude tax (US style): tax for the destination is added at checkout on top of the prices shown."}{" "}
          Shipping rates, fixed discounts and thresholds are read the same way.
        </p>
        <PricesIncludeTaxForm initial={pricesIncludeTax} readOnly={!writer} />
      </section>

      <section aria-labelledby="zones" className="space-y-2">
        <div className="flex items-center justify-between">
          <h2 id="zones" className="text-lg font-semibold text-stone-900">
            Shipping zones and rates
          </h2>
          {writer ? (
            <Link href="/admin/pricing/zones/new" className={newButton}>
              New zone
            </Link>
          ) : null}
        </div>
        <p className="text-sm text-stone-600">A country in no active zone cannot check out; checkout says it is not shipped to.</p>
        {zones.length === 0 ? <p className="text-sm text-stone-600">No zones yet.</p> : null}
        {zones.map((zone) => (
          <div key={zone.id} className="rounded-xl border border-stone-200 bg-white p-4 text-sm">
            <h3 className="font-semibold">
              <Link href={`/admin/pricing/zones/${zone.id}`} className={link}>
                {zone.name}
              </Link>
              {zone.active ? null : <span className="ml-2 rounded-full bg-stone-200 px-2 py-0.5 text-xs font-medium">inactive</span>}
            </h3>
            <p className="text-stone-700">
              {zone.countries.map(countryName).join(", ")}
              {zone.taxShipping ? " · shipping taxed" : " · shipping not taxed"}
            </p>
            {zone.rates.length === 0 ? (
              <p className="text-stone-600">No rates: checkout cannot ship here yet.</p>
            ) : (
              <ul className="mt-1 list-disc pl-5">
                {zone.rates.map((rate) => (
                  <li key={rate.id}>
                    {rate.name}: {rateSummary(rate)}
                    {rate.freeFrom === null ? "" : `, free from ${money(rate.freeFrom)}`}
                    {rate.active ? "" : " (inactive)"}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>

      <section aria-labelledby="taxes" className="space-y-2">
        <div className="flex items-center justify-between">
          <h2 id="taxes" className="text-lg font-semibold text-stone-900">
            Tax rates
          </h2>
          {writer ? (
            <Link href="/admin/pricing/tax-rates/new" className={newButton}>
              New tax rate
            </Link>
          ) : null}
        </div>
        {taxRates.length === 0 ? (
          <p className="text-sm text-stone-600">No tax rates: nothing is taxed.</p>
        ) : (
          <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
            <caption className="sr-only">Tax rates by country and region</caption>
            <thead>
              <tr className="text-left text-stone-600">
                <th className="px-3 py-2">Name</th>
                <th>Country</th>
                <th>Region</th>
                <th>Class</th>
                <th>Rate</th>
              </tr>
            </thead>
            <tbody>
              {taxRates.map((rate) => (
                <tr key={rate.id} className="border-t border-stone-100">
                  <td className="px-3 py-2">
                    <Link href={`/admin/pricing/tax-rates/${rate.id}`} className={link}>
                      {rate.name}
                    </Link>
                  </td>
                  <td>{countryName(rate.country)}</td>
                  <td>{rate.region || "whole country"}</td>
                  <td>{rate.taxClass}</td>
                  <td className="tabular-nums">{percentText(rate.rate)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="codes" className="space-y-2">
        <div className="flex items-center justify-between">
          <h2 id="codes" className="text-lg font-semibold text-stone-900">
            Discount codes
          </h2>
          {writer ? (
            <Link href="/admin/pricing/codes/new" className={newButton}>
              New code
            </Link>
          ) : null}
        </div>
        {codes.length === 0 ? (
          <p className="text-sm text-stone-600">No codes yet.</p>
        ) : (
          <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
            <caption className="sr-only">Discount codes</caption>
            <thead>
              <tr className="text-left text-stone-600">
                <th className="px-3 py-2">Code</th>
                <th>Discount</th>
                <th>Paid uses / limit</th>
                <th>Active</th>
                <th>Starts</th>
                <th>Ends</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((code) => (
                <tr key={code.id} className="border-t border-stone-100">
                  <td className="px-3 py-2">
                    <Link href={`/admin/pricing/codes/${code.id}`} className={`${link} font-mono`}>
                      {code.code}
                    </Link>
                  </td>
                  <td>{code.kind === "percentage" ? `${percentText(code.value)}% off` : `${money(code.value)} off`}</td>
                  <td className="tabular-nums">
                    {code.paidUses} / {code.usageLimit ?? "no limit"}
                    {code.heldUses > 0 ? ` (+${code.heldUses} being paid)` : ""}
                  </td>
                  <td>{code.active ? "yes" : "no"}</td>
                  <td className="tabular-nums">{moment(code.startsAt)}</td>
                  <td className="tabular-nums">{moment(code.endsAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function rateSummary(rate: { kind: string; amount: number | null; brackets: unknown }): string {
  if (rate.kind === "flat") return rate.amount === null ? "no amount (not offered)" : money(rate.amount);
  const brackets = Array.isArray(rate.brackets) ? (rate.brackets as Array<{ upToGrams: number | null; amount: number }>) : [];
  if (brackets.length === 0) return "no brackets (not offered)";
  return brackets.map((b) => `${b.upToGrams === null ? "heavier" : `up to ${b.upToGrams} g`} ${money(b.amount)}`).join(", ");
}
