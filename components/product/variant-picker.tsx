"use client";

import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { VariantChoiceView, type VariantPurchase } from "@/components/product/variant-choice-view";
import type { ProductSummary } from "@/lib/catalog";
import { choiceAnnouncement, chosenVariant, initialChoice, type Choice } from "@/lib/variant-choice";

type Props = {
  product: ProductSummary;
  /** By variant id, for every variant that can be bought. */
  purchases: Record<string, VariantPurchase>;
};

/**
 * The variant picker: the choice starts from ?variant=<sku> and is written back there on every pick, so a link
 * shares it. useSearchParams makes this render in the browser only: the page wraps it in <Suspense> with the
 * same view of the default choice as fallback, which stays static and is what a shopper without JavaScript gets.
 * Each pick is announced (the choice, then its price and stock or why it cannot be bought).
 */
export function VariantPicker({ product, purchases }: Props) {
  const searchParams = useSearchParams();
  const [choice, setChoice] = useState<Choice>(() => initialChoice(product, searchParams.get("variant")));
  const [announcement, setAnnouncement] = useState("");

  function pick(optionId: string, valueId: string) {
    const next = { ...choice, [optionId]: valueId };
    setChoice(next);
    setAnnouncement(choiceAnnouncement(product, next));
    const picked = chosenVariant(product, next);
    const url = new URL(window.location.href);
    if (picked) url.searchParams.set("variant", picked.sku);
    else url.searchParams.delete("variant");
    // Next keeps its router in step with replaceState; no navigation, no scroll.
    window.history.replaceState(null, "", url);
  }

  return <VariantChoiceView product={product} purchases={purchases} choice={choice} onPick={pick} announcement={announcement} />;
}
