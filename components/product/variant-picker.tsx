"use client";

import { useSearchParams } from "next/navigation";
import { useState, type ComponentProps } from "react";
import { AddToCartButton } from "@/components/cart/add-to-cart-button";
import { Price } from "@/components/product/price";
import { StockBadge } from "@/components/product/stock-badge";
import type { ProductSummary } from "@/lib/catalog";
import {
  chosenVariant,
  initialChoice,
  valueAvailability,
  variantAvailability,
  type Choice,
  type ValueAvailability,
} from "@/lib/variant-choice";

/** What the add button needs of a variant, worked out on the server (the cart's rules are server code). */
export type VariantPurchase = Pick<ComponentProps<typeof AddToCartButton>, "productName" | "limit">;

type Props = {
  product: ProductSummary;
  /** By variant id, for every variant that can be bought. */
  purchases: Record<string, VariantPurchase>;
};

const marks: Record<Exclude<ValueAvailability, "available">, string> = { sold_out: "Sold out", not_available: "Not available" };

/**
 * One radio group per option; the chosen variant's price, stock and add button. The choice starts from
 * ?variant=<sku> and is written back there on every pick, so a link shares it. useSearchParams makes this
 * render in the browser only: the page wraps it in <Suspense> with the default variant's form as fallback,
 * which stays static and is what a shopper without JavaScript gets.
 *
 * Values that cannot be bought with the other options as chosen are marked but stay selectable, so a shopper
 * can always move from one combination to another; an unbuyable choice shows why instead of the add button.
 */
export function VariantPicker({ product, purchases }: Props) {
  const searchParams = useSearchParams();
  const [choice, setChoice] = useState<Choice>(() => initialChoice(product, searchParams.get("variant")));
  const variant = chosenVariant(product, choice);
  const availability = variantAvailability(product, variant);
  const purchase = variant && availability === "available" ? purchases[variant.id] : undefined;

  function pick(optionId: string, valueId: string) {
    const next = { ...choice, [optionId]: valueId };
    setChoice(next);
    const picked = chosenVariant(product, next);
    const url = new URL(window.location.href);
    if (picked) url.searchParams.set("variant", picked.sku);
    else url.searchParams.delete("variant");
    // Next keeps its router in step with replaceState; no navigation, no scroll.
    window.history.replaceState(null, "", url);
  }

  return (
    <div className="space-y-6">
      <div className="flex items-center gap-4" aria-live="polite">
        <Price amount={variant?.price ?? product.price} currency={product.currency} className="text-2xl font-semibold" />
        <StockBadge product={{ stock: variant?.stock ?? 0, active: product.active && (variant?.active ?? false) }} />
      </div>
      {product.options.map((option) => (
        <fieldset key={option.id}>
          <legend className="text-sm font-semibold text-stone-900">{option.name}</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {option.values.map((value) => {
              const state = valueAvailability(product, choice, option.id, value.id);
              return (
                <label
                  key={value.id}
                  className={`flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm has-checked:border-stone-900 has-checked:ring-1 has-checked:ring-stone-900 ${
                    state === "available"
                      ? "border-stone-300 bg-white text-stone-900"
                      : "border-dashed border-stone-400 bg-stone-50 text-stone-700"
                  }`}
                >
                  <input
                    type="radio"
                    name={`option-${option.id}`}
                    value={value.id}
                    checked={choice[option.id] === value.id}
                    onChange={() => pick(option.id, value.id)}
                    className="accent-stone-900"
                  />
                  <span className={state === "available" ? undefined : "line-through"}>{value.value}</span>
                  {state !== "available" && <span className="text-xs font-medium">{marks[state]}</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
      {variant && purchase ? (
        // Keyed by variant: the button's in-flight adds belong to the variant they were clicked for.
        <AddToCartButton key={variant.id} variantId={variant.id} productName={purchase.productName} limit={purchase.limit} />
      ) : (
        <p className="rounded-lg bg-stone-100 px-4 py-3 font-medium text-stone-700">
          {availability === "sold_out" ? "Sold out. We are restocking soon." : "This combination is not available."}
        </p>
      )}
    </div>
  );
}
