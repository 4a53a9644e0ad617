import { Link, useNavigate, useNavigation } from "@remix-run/react";
import { ArrowLeftIcon } from "./icons.tsx";
import { useId, type InputHTMLAttributes, type ReactNode } from "react";

/** A labelled input with its hint and error tied to it for screen readers (aria-describedby, aria-invalid). */
export function Field({
  label,
  error,
  hint,
  ...input
}: { label: string; error?: string; hint?: ReactNode; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="rounded-lg border border-line bg-surface px-3 py-2 text-ink aria-invalid:border-danger"
        {...input}
      />
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** A field's hint and error lines, with the ids its input names in aria-describedby. */
export function FieldNotes({ hint, hintId, error, errorId }: { hint?: ReactNode; hintId: string; error?: string; errorId: string }) {
  return (
    <>
      {hint && (
        <p id={hintId} className="text-sm text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
    </>
  );
}

/**
 * A submit button that says it is working while its form is submitting. On pages with several forms, `intent` (the
 * value of the form's hidden "intent" field) keeps the other forms' buttons as they are.
 */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  intent,
}: {
  children: ReactNode;
  pendingLabel?: string;
  variant?: "primary" | "secondary" | "danger";
  intent?: string;
}) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && (!intent || navigation.formData?.get("intent") === intent);
  const styles = {
    primary: "bg-accent text-accent-ink",
    secondary: "border border-line bg-surface text-ink",
    danger: "bg-danger text-white",
  }[variant];
  return (
    <button type="submit" disabled={pending} className={`rounded-full px-5 py-2.5 font-semibold disabled:opacity-60 ${styles}`}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

/** The message above a form: an error (announced immediately) or a notice. */
export function FormMessage({ error, notice }: { error?: string; notice?: string }) {
  if (error) {
    return (
      <p role="alert" className="rounded-lg border border-danger px-4 py-3 text-danger">
        {error}
      </p>
    );
  }
  if (notice) {
    return (
      <p role="status" className="rounded-lg bg-accent-soft px-4 py-3">
        {notice}
      </p>
    );
  }
  return null;
}

/** A page's heading, with a way back; `picture` (a group's, say) sits beside the title it stands for, so it is decorative. */
export function PageHeader({
  title,
  description,
  back,
  picture,
}: {
  title: string;
  description?: ReactNode;
  back?: string;
  picture?: string | null;
}) {
  return (
    <div className="flex items-center gap-3 border-b border-line px-4 py-3">
      {back && <BackLink fallback={back} />}
      {picture && <img src={picture} alt="" className="size-10 shrink-0 rounded-full bg-raised object-cover" />}
      <div className="min-w-0">
        <h1 className="text-xl font-bold">{title}</h1>
        {description && <p className="text-sm text-muted">{description}</p>}
      </div>
    </div>
  );
}

/**
 * The back arrow: with JavaScript it goes back in this tab's history when there is somewhere to go back to (React
 * Router numbers its entries in history.state.idx); otherwise, and without JavaScript, it follows the link.
 */
function BackLink({ fallback }: { fallback: string }) {
  const navigate = useNavigate();
  return (
    <Link
      to={fallback}
      title="Back"
      className="-ml-2 flex size-10 shrink-0 items-center justify-center rounded-full hover:bg-raised"
      onClick={(event) => {
        if (!((window.history.state as { idx?: number } | null)?.idx ?? 0)) return;
        event.preventDefault();
        navigate(-1);
      }}
    >
      <ArrowLeftIcon />
      <span className="sr-only">Back</span>
    </Link>
  );
}
