import type { ComponentProps } from "react";
import { AddToCartButton } from "@/components/cart/add-to-cart-button";
import { Price } from "@/components/product/price";
import { StockBadge } from "@/components/product/stock-badge";
import type { ProductSummary } from "@/lib/catalog";
import { chosenVariant, valueAvailability, variantAvailability, type Choice, type ValueAvailability } from "@/lib/variant-choice";

/** What the add button needs of a variant, worked out on the server (the cart's rules are server code). */
export type VariantPurchase = Pick<ComponentProps<typeof AddToCartButton>, "productName" | "limit">;

type Props = {
  product: ProductSummary;
  /** By variant id, for every variant that can be bought. */
  purchases: Record<string, VariantPurchase>;
  choice: Choice;
  /** Picks a value. Without it the radios show the choice disabled: the page as served, before the picker runs. */
  onPick?: (optionId: string, valueId: string) => void;
  /** What the live region says; empty until the shopper picks something. */
  announcement?: string;
};

const marks: Record<Exclude<ValueAvailability, "available">, string> = { sold_out: "Sold out", not_available: "Not available" };

/**
 * A choice of variant: its price and stock, one radio group per option, and its add button or why it cannot
 * be bought. No hooks, so the page renders it too: with the default choice and disabled radios as the picker's
 * Suspense fallback (its add form works without JavaScript), and the picker replaces that with the same markup
 * on load, so nothing moves (no layout shift).
 *
 * Values that cannot be bought with the other options as chosen are marked but stay selectable, so a shopper
 * can always move from one combination to another; an unbuyable choice shows why instead of the add button.
 */
export function VariantChoiceView({ product, purchases, choice, onPick, announcement = "" }: Props) {
  const variant = chosenVariant(product, choice);
  const availability = variantAvailability(product, variant);
  const purchase = variant && availability === "available" ? purchases[variant.id] : undefined;

  return (
    <div className="space-y-6">
      <div className="flex items-center gap-4">
        <Price amount={variant?.price ?? product.price} currency={product.currency} className="text-2xl font-semibold" />
        {/* A combination that is not made has no stock to speak of; the text below says why. */}
        {variant && <StockBadge product={{ stock: variant.stock, active: product.active && variant.active }} />}
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
                  className={`flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm has-checked:border-stone-900 has-checked:ring-1 has-checked:ring-stone-900 has-disabled:cursor-default ${
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
                    onChange={onPick && (() => onPick(option.id, value.id))}
                    disabled={!onPick}
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
      {/* In the markup from the first render, so assistive technology is watching it before the first pick. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {/* As tall as the add button with its status line, so a shared link to a choice that cannot be bought
          does not shift the page when the picker replaces the default choice on load. */}
      <div className="min-h-21">
        {variant && purchase ? (
          // Keyed by variant: the button's in-flight adds belong to the variant they were clicked for.
          <AddToCartButton key={variant.id} variantId={variant.id} productName={purchase.productName} limit={purchase.limit} />
        ) : (
          <p className="rounded-lg bg-stone-100 px-4 py-3 font-medium text-stone-700">
            {availability === "sold_out" ? "Sold out. We are restocking soon." : "This combination is not available."}
          </p>
        )}
      </div>
    </div>
  );
}
