"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import {
  archiveCategoryAction,
  createCategoryAction,
  restoreCategoryAction,
  updateCategoryAction,
  type CategorySaveResult,
} from "@/components/admin/actions";
import { ActionOutcome, ConfirmActionButton, requestFailed } from "@/components/admin/action-button";
import { Field } from "@/components/admin/described-field";
import type { CategoryFormInput } from "@/lib/admin/category-rules";

type Props = {
  /** The category being edited with the version the page read, or null for a new category. */
  category: { id: string; version: number; active: boolean } | null;
  initial: CategoryFormInput;
  /** A viewer sees the fields without controls that change anything. */
  readOnly: boolean;
};

const input = "w-full rounded-lg border border-stone-300 px-2 py-1 disabled:bg-stone-100";
const FIELDS = ["name", "slug", "description", "position"] as const;

/**
 * The category editor: its fields, and archive or restore for an existing one. Each save answers the category's
 * new version, kept here so the next save (or archive) is checked against it rather than the page's first read.
 */
export function CategoryForm({ category, initial, readOnly }: Props) {
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const [version, setVersion] = useState(category?.version ?? 0);
  const [active, setActive] = useState(category?.active ?? true);
  const [result, setResult] = useState<CategorySaveResult | null>(null);
  const inFlight = useRef(false);
  const errors = result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {};

  const set = (key: keyof CategoryFormInput, value: string) => setFields((f) => ({ ...f, [key]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // One save at a time: a double click sends one request.
    if (inFlight.current || readOnly) return;
    inFlight.current = true;
    try {
      const outcome = category ? await updateCategoryAction({ ...fields, id: category.id, version }) : await createCategoryAction(fields);
      setResult(outcome);
      if (!outcome.ok && "fieldErrors" in outcome) {
        const first = FIELDS.find((field) => outcome.fieldErrors[field]);
        if (first) document.getElementById(`category-${first}`)?.focus();
      }
      if (outcome.ok && !category) router.push(`/admin/catalog/categories/${outcome.id}`);
      if (outcome.ok && category) {
        setVersion(outcome.version);
        // The history below and the old addresses come from the server.
        router.refresh();
      }
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }

  /** Archive or restore: on success the version moves on like a save's. */
  const toggle = (run: typeof archiveCategoryAction, nowActive: boolean) => async () => {
    const outcome = await run({ id: category!.id, version });
    if (outcome.ok) {
      setVersion(outcome.version);
      setActive(nowActive);
      setResult(null);
      router.refresh();
    }
    return outcome;
  };

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4 rounded-xl border border-stone-200 bg-white p-4" noValidate>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          <CategoryField id="name" label="Name" error={errors.name}>
            {(described) => (
              <input
                id="category-name"
                className={input}
                value={fields.name}
                onChange={(e) => set("name", e.target.value)}
                {...described}
              />
            )}
          </CategoryField>
          <CategoryField
            id="slug"
            label="Slug (the address: /categories/…)"
            hint="A changed slug's old address keeps working."
            error={errors.slug}
          >
            {(described) => (
              <input
                id="category-slug"
                className={input}
                value={fields.slug}
                onChange={(e) => set("slug", e.target.value)}
                {...described}
              />
            )}
          </CategoryField>
          <CategoryField id="position" label="Position in the navigation" hint="0 comes first." error={errors.position}>
            {(described) => (
              <input
                id="category-position"
                className={input}
                inputMode="numeric"
                value={fields.position}
                onChange={(e) => set("position", e.target.value)}
                {...described}
              />
            )}
          </CategoryField>
          <div className="sm:col-span-2">
            <CategoryField id="description" label="Description" error={errors.description}>
              {(described) => (
                <textarea
                  id="category-description"
                  rows={4}
                  className={input}
                  value={fields.description}
                  onChange={(e) => set("description", e.target.value)}
                  {...described}
                />
              )}
            </CategoryField>
          </div>
        </fieldset>
        {readOnly ? (
          <p className="text-sm text-stone-600">Your role can read the catalog but not change it.</p>
        ) : (
          <div className="flex items-center gap-3">
            <button type="submit" className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white">
              {category ? "Save" : "Create category"}
            </button>
            <ActionOutcome result={result} />
          </div>
        )}
      </form>
      {category && !readOnly ? (
        active ? (
          <ConfirmActionButton
            label="Archive category"
            confirmText="Take this category out of the shop? Its page will answer “not found” until it is restored."
            run={toggle(archiveCategoryAction, false)}
          />
        ) : (
          <ConfirmActionButton
            label="Restore category"
            confirmText="Put this category back in the shop's navigation?"
            run={toggle(restoreCategoryAction, true)}
          />
        )
      ) : null}
    </div>
  );
}

/** A field of this form: its control's id is `category-<id>`. */
function CategoryField({ id, ...rest }: Omit<Parameters<typeof Field>[0], "control"> & { id: string }) {
  return <Field control={`category-${id}`} {...rest} />;
}
