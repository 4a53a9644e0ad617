import type { ZodError } from "zod";

/**
 * Failures the domain reports on purpose. Each kind maps to one HTTP status in every door (JSON on the API, an
 * error page or inline form errors on pages); anything else that escapes the domain is a bug and becomes a logged 500.
 */
export type DomainErrorKind = "invalid" | "not_found" | "forbidden" | "conflict" | "too_large" | "unsupported" | "unprocessable";

export class DomainError extends Error {
  override name = "DomainError";

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Per-field messages for forms, keyed by field name. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const statusOfDomainError: Record<DomainErrorKind, 400 | 403 | 404 | 409 | 413 | 415 | 422> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
};

/** One readable sentence for a failed validation: "limit: must be at least 1; max_id: must be a numeric id". */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join(".");
      return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
