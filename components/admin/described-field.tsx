import type { ReactNode } from "react";

// The admin forms' labelled field: a label, the control (rendered by the caller with the attributes that tie it
// to its hint and error), then the hint and the error, each with an id the control is described by.

/** What the control gets: aria-invalid while there is an error, aria-describedby naming the hint and error shown. */
export type Described = { "aria-invalid"?: true; "aria-describedby"?: string };

type FieldProps = {
  control: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (described: Described) => ReactNode;
};

/** A labelled field with its hint and error; the control (id `control`) is described by whichever is shown. */
export function Field({ control, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${control}-hint` : null, error ? `${control}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="space-y-1">
      <label htmlFor={control} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children({ ...(error ? { "aria-invalid": true } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      <FieldMessages control={control} hint={hint} error={error} />
    </div>
  );
}

/** A control's hint and error lines (ids `<control>-hint`, `<control>-error`), for controls laid out by hand. */
export function FieldMessages({ control, hint, error }: { control: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <p id={`${control}-hint`} className="text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${control}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </>
  );
}
