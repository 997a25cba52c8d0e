// Labelled inputs with their hint and inline error, wired for screen readers (label for, aria-invalid,
// aria-describedby), and where a form's failures go.
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { describeError } from "../../components/ErrorText";
import { useToast } from "../../components/Toaster";
import { type AppError, toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";

interface Labelled {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** The frame of one field; `control` gets the id and the aria attributes to put on its input or select. */
function Frame({ label, error, hint, control }: Labelled & {
  control: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>{label}</label>
      {control({ id, ...(error ? { "aria-invalid": true } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {hint && <span id={`${id}-hint`} className="muted small">{hint}</span>}
      {error && <span id={`${id}-error`} className="field-error">{error}</span>}
    </div>
  );
}

export function TextField({ label, error, hint, value, onChange, ...input }:
  & Labelled
  & Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value">
  & { value: string; onChange: (value: string) => void })
{
  return (
    <Frame
      label={label}
      error={error}
      hint={hint}
      control={(aria) => <input {...input} {...aria} value={value} onChange={(e) => onChange(e.target.value)} />}
    />
  );
}

export function SelectField({ label, error, hint, value, onChange, children, ...select }:
  & Labelled
  & Omit<SelectHTMLAttributes<HTMLSelectElement>, "onChange" | "value">
  & { value: string | number; onChange: (value: string) => void })
{
  return (
    <Frame
      label={label}
      error={error}
      hint={hint}
      control={(aria) => (
        <select {...select} {...aria} value={value} onChange={(e) => onChange(e.target.value)}>{children}</select>
      )}
    />
  );
}

/** An error that belongs to a group of inputs (a fieldset) or to no field at all. */
export function FieldError({ error }: { error?: string }) {
  return error ? <span role="alert" className="field-error">{error}</span> : null;
}

/** Forms show refusals (4xx) inline, through `inline`; server and network failures go to a toast. */
export function useReportFailure() {
  const { t } = useI18n();
  const notify = useToast();
  return (e: unknown, inline: (error: AppError) => void) => {
    const error = toAppError(e);
    if (error.status >= 400 && error.status < 500) inline(error);
    else notify({ title: t("settings.failed"), description: describeError(t, error), tone: "error" });
  };
}
