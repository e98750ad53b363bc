"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { createProductAction, updateProductAction, type ProductSaveResult } from "@/components/admin/actions";
import { ActionOutcome, requestFailed } from "@/components/admin/action-button";
import { ImageList, type EditorImage } from "@/components/admin/image-list";
import { combinations, TAX_CLASSES, type ProductFormInput } from "@/lib/admin/catalog-rules";
import type { TaxClass } from "@/lib/pricing/types";

type Row = ProductFormInput["variants"][number] & { key: string };
type Props = {
  /** The product being edited with the version the page read, or null for a new product. */
  product: { id: string; version: number } | null;
  initial: ProductFormInput;
  /** The product's images in order (none for a new product); saved with the rest of the form. */
  images: EditorImage[];
  categories: Array<{ id: string; name: string }>;
  /** A viewer sees the form without controls that change anything. */
  readOnly: boolean;
};

const input = "w-full rounded-lg border border-stone-300 px-2 py-1 disabled:bg-stone-100";
/** Each tax class as staff choose it, with the one line that says what it does at checkout (lib/pricing). */
const TAX_CLASS_TEXT: Record<TaxClass, { label: string; hint: string }> = {
  standard: { label: "Standard", hint: "Taxed at the destination's usual rate." },
  reduced: { label: "Reduced", hint: "The destination's lower rate (e.g. books, food), or its usual rate where it has none." },
  zero: { label: "Zero-rated", hint: "Never taxed, wherever it ships." },
};

/** The variant grid's text columns: the input's accessible name is "<label> of <variant>", e.g. "Stock of M / Navy". */
const VARIANT_COLUMNS = [
  { field: "sku", label: "SKU" },
  { field: "price", label: "Own price", placeholder: "product's" },
  { field: "stock", label: "Stock", inputMode: "numeric" },
  { field: "weightGrams", label: "Weight (g)", inputMode: "numeric" },
] as const;

const splitValues = (values: string) =>
  values
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);

/** The product editor: fields, images with alt text, options (name + comma-separated values) and one grid row per variant kept. */
export function ProductForm({ product, initial, images: initialImages, categories, readOnly }: Props) {
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const [rows, setRows] = useState<Row[]>(() => initial.variants.map((variant, i) => ({ ...variant, key: variant.id ?? `new-${i}` })));
  const [images, setImages] = useState(initialImages);
  const [result, setResult] = useState<ProductSaveResult | null>(null);
  // A save during an upload would leave out the image still on its way.
  const [uploading, setUploading] = useState(false);
  const uploadHint = useId();
  const inFlight = useRef(false);
  const nextKey = useRef(0);
  const errors = result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {};
  /** An input's link to its error message (FieldError's id), present only while there is one. */
  const errorLink = (key: string) => (errors[key] ? { "aria-invalid": true, "aria-describedby": `${key}-error` } : {});
  const taxClass = TAX_CLASSES.find((known) => known === fields.taxClass) ?? "standard";

  const set = <K extends keyof ProductFormInput>(key: K, value: ProductFormInput[K]) => setFields((f) => ({ ...f, [key]: value }));
  const setOption = (i: number, change: Partial<ProductFormInput["options"][number]>) =>
    set(
      "options",
      fields.options.map((option, j) => (j === i ? { ...option, ...change } : option)),
    );
  const setRow = (key: string, change: Partial<Row>) => setRows((all) => all.map((row) => (row.key === key ? { ...row, ...change } : row)));

  function addMissingCombinations() {
    const have = new Set(rows.map((row) => JSON.stringify(row.values)));
    const missing = combinations(fields.options.map((option) => ({ values: splitValues(option.values) }))).filter(
      (values) => !have.has(JSON.stringify(values)),
    );
    setRows((all) => [
      ...all,
      ...missing.map((values) => ({
        key: `new-${nextKey.current++}`,
        values,
        sku: "",
        price: "",
        stock: "0",
        weightGrams: "0",
        active: true,
      })),
    ]);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current || readOnly || uploading) return;
    inFlight.current = true;
    try {
      const variants = rows.map(({ key: _key, ...row }) => row);
      const saved = { ...fields, variants, images: images.map(({ blobId, alt }) => ({ blobId, alt })) };
      const outcome = product
        ? await updateProductAction({ ...saved, id: product.id, version: product.version })
        : await createProductAction(saved);
      setResult(outcome);
      if (outcome.ok) router.push(`/admin/catalog/${outcome.id}`);
      if (outcome.ok && product) router.refresh();
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded-xl border border-stone-200 bg-white p-4" noValidate>
      <input type="hidden" name="version" value={product?.version ?? 0} />
      <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
        <Field id="name" label="Name" error={errors.name}>
          <input id="name" className={input} value={fields.name} onChange={(e) => set("name", e.target.value)} {...errorLink("name")} />
        </Field>
        <Field id="slug" label="Slug (the address: /products/…)" error={errors.slug}>
          <input id="slug" className={input} value={fields.slug} onChange={(e) => set("slug", e.target.value)} {...errorLink("slug")} />
        </Field>
        <Field id="categoryId" label="Category" error={errors.categoryId}>
          <select
            id="categoryId"
            className={input}
            value={fields.categoryId}
            onChange={(e) => set("categoryId", e.target.value)}
            {...errorLink("categoryId")}
          >
            <option value="">Choose…</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="price" label="Price (variants without their own price use it)" error={errors.price}>
          <input
            id="price"
            className={input}
            inputMode="decimal"
            value={fields.price}
            onChange={(e) => set("price", e.target.value)}
            {...errorLink("price")}
          />
        </Field>
        <Field id="taxClass" label="Tax class" error={errors.taxClass}>
          <select
            id="taxClass"
            className={input}
            value={taxClass}
            onChange={(e) => set("taxClass", e.target.value)}
            aria-invalid={errors.taxClass ? true : undefined}
            aria-describedby={errors.taxClass ? "taxClass-hint taxClass-error" : "taxClass-hint"}
          >
            {TAX_CLASSES.map((known) => (
              <option key={known} value={known}>
                {TAX_CLASS_TEXT[known].label}
              </option>
            ))}
          </select>
          <p id="taxClass-hint" className="text-sm text-stone-600">
            {TAX_CLASS_TEXT[taxClass].hint}
          </p>
        </Field>
        <div className="sm:col-span-2">
          <Field id="description" label="Description" error={errors.description}>
            <textarea
              id="description"
              rows={4}
              className={input}
              value={fields.description}
              onChange={(e) => set("description", e.target.value)}
              {...errorLink("description")}
            />
          </Field>
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={fields.active} onChange={(e) => set("active", e.target.checked)} />
          Active (unchecked: archived, hidden from the shop)
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={fields.featured} onChange={(e) => set("featured", e.target.checked)} />
          Featured on the home page
        </label>
      </fieldset>

      <ImageList images={images} setImages={setImages} errors={errors} readOnly={readOnly} onUploadingChange={setUploading} />

      <fieldset disabled={readOnly} className="space-y-2">
        <legend className="text-lg font-semibold text-stone-900">Options</legend>
        {errors.options ? <FieldError id="options-error" error={errors.options} /> : null}
        {fields.options.map((option, i) => (
          <div key={i} className="grid gap-2 sm:grid-cols-[1fr_2fr_auto]">
            <Field id={`options.${i}.name`} label={`Option ${i + 1} name`} error={errors[`options.${i}.name`]}>
              <input
                id={`options.${i}.name`}
                className={input}
                value={option.name}
                onChange={(e) => setOption(i, { name: e.target.value })}
                {...errorLink(`options.${i}.name`)}
              />
            </Field>
            <Field id={`options.${i}.values`} label="Values, separated by commas" error={errors[`options.${i}.values`]}>
              <input
                id={`options.${i}.values`}
                className={input}
                value={option.values}
                onChange={(e) => setOption(i, { values: e.target.value })}
                {...errorLink(`options.${i}.values`)}
              />
            </Field>
            {readOnly ? null : (
              <button
                type="button"
                className="self-end rounded-lg border border-stone-300 px-3 py-1 text-sm"
                onClick={() =>
                  set(
                    "options",
                    fields.options.filter((_, j) => j !== i),
                  )
                }
              >
                Remove option {i + 1}
              </button>
            )}
          </div>
        ))}
        {readOnly || fields.options.length >= 3 ? null : (
          <button
            type="button"
            className="rounded-lg border border-stone-300 px-3 py-1 text-sm"
            onClick={() => set("options", [...fields.options, { name: "", values: "" }])}
          >
            Add an option
          </button>
        )}
      </fieldset>

      <fieldset disabled={readOnly} className="space-y-2">
        <legend className="text-lg font-semibold text-stone-900">Variants</legend>
        {errors.variants ? <FieldError id="variants-error" error={errors.variants} /> : null}
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-stone-600">
              <th>Values</th>
              {VARIANT_COLUMNS.map((column) => (
                <th key={column.field}>{column.label}</th>
              ))}
              <th>Active</th>
              <th>
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const label = row.values.join(" / ") || "Default";
              return (
                <tr key={row.key} className="border-t border-stone-100 align-top">
                  <td className="py-1 pr-2">
                    {label}
                    <FieldError id={`variants.${i}.values-error`} error={errors[`variants.${i}.values`]} />
                  </td>
                  {VARIANT_COLUMNS.map((column) => (
                    <td key={column.field} className="py-1 pr-2">
                      <input
                        aria-label={`${column.label} of ${label}`}
                        {...errorLink(`variants.${i}.${column.field}`)}
                        className={input}
                        // Weights are optional in the posted form (callers that predate them leave them out); the pages always fill them.
                        value={row[column.field] ?? ""}
                        placeholder={"placeholder" in column ? column.placeholder : undefined}
                        inputMode={"inputMode" in column ? column.inputMode : undefined}
                        onChange={(e) => setRow(row.key, { [column.field]: e.target.value })}
                      />
                      <FieldError id={`variants.${i}.${column.field}-error`} error={errors[`variants.${i}.${column.field}`]} />
                    </td>
                  ))}
                  <td className="py-1 pr-2">
                    <input
                      type="checkbox"
                      aria-label={`${label} active`}
                      checked={row.active}
                      onChange={(e) => setRow(row.key, { active: e.target.checked })}
                    />
                  </td>
                  <td className="py-1">
                    {readOnly ? null : (
                      <button
                        type="button"
                        className="rounded-lg border border-stone-300 px-2 py-1"
                        onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
                      >
                        Remove {label}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="text-sm text-stone-600">A removed variant that is in a cart or an order is kept, inactive.</p>
        {readOnly ? null : (
          <button type="button" className="rounded-lg border border-stone-300 px-3 py-1 text-sm" onClick={addMissingCombinations}>
            Add the missing combinations
          </button>
        )}
      </fieldset>

      {readOnly ? (
        <p className="text-sm text-stone-600">Your role can read the catalog but not change it.</p>
      ) : (
        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={uploading}
            aria-describedby={uploading ? uploadHint : undefined}
            className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white disabled:opacity-50"
          >
            {product ? "Save" : "Create product"}
          </button>
          {uploading ? (
            <p id={uploadHint} className="text-sm text-stone-600">
              Wait for the upload to finish
            </p>
          ) : null}
          <ActionOutcome result={result} />
        </div>
      )}
    </form>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={id} className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}
