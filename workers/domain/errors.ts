import type { ZodError } from "zod";

/**
 * Failures the domain reports on purpose. Each kind maps to one HTTP status in every door (JSON on the API, an
 * error page or inline form errors on pages); anything else that escapes the domain is a bug and becomes a logged 500.
 */
export type DomainErrorKind =
  | "invalid"
  | "unauthenticated"
  | "not_found"
  | "forbidden"
  | "conflict"
  | "gone"
  | "too_large"
  | "unsupported"
  | "unprocessable"
  | "throttled";

export interface DomainErrorDetails {
  /** Per-field messages for forms, keyed by field name. */
  fields?: Record<string, string>;
  /**
   * Names the failure for doors that answer differently to particular ones (OAuth's invalid_scope, say). Doors tell
   * errors apart by kind and code, never by their message, which is written for people and may change.
   */
  code?: string;
  /** For throttled: how long to wait, sent as Retry-After. */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  override name = "DomainError";
  readonly fields: Record<string, string>;
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    details: DomainErrorDetails = {},
  ) {
    super(message);
    this.fields = details.fields ?? {};
    this.code = details.code ?? kind;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export const statusOfDomainError: Record<DomainErrorKind, 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  throttled: 429,
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
