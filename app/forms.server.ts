import { data, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { ZodError, type z } from "zod";
import { DomainError, statusOfDomainError } from "#domain/errors.ts";

/** What an action returns when a form needs another try: a message per field, and what was typed (never secrets). */
export interface FormProblem {
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

const SECRET_FIELDS = /password|code|token|secret|current|next/i;

/** What was typed in the form, to fill it in again (never secrets). */
export function typedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value === "string" && !SECRET_FIELDS.test(key)) values[key] = value;
  }
  return values;
}

/** Responds with the form's problems and the status that names them (400, 409, 422, 429 ...). */
export function formProblem(form: FormData, problem: Omit<FormProblem, "values">, status = 422, headers?: HeadersInit) {
  return data({ ...problem, values: typedValues(form) } satisfies FormProblem, { status, headers });
}

/** The answer when the credential endpoints' rate limit is hit. */
export function rateLimited(form: FormData, retryAfterSeconds = 60) {
  return formProblem(form, { formError: `Too many attempts. Wait ${retryAfterSeconds} seconds and try again.`, fieldErrors: {} }, 429, {
    "Retry-After": String(retryAfterSeconds),
  });
}

export function parseForm<T extends z.ZodType>(schema: T, form: FormData) {
  const result = schema.safeParse(Object.fromEntries(form));
  if (result.success) return { ok: true as const, data: result.data as z.output<T> };
  return { ok: false as const, response: formProblem(form, { fieldErrors: fieldErrorsOf(result.error) }, 400) };
}

/**
 * A DomainError, or input the domain's schemas refused, becomes an inline form error with its status (with `more`, what
 * else the form needs to come back as it was); anything else is rethrown for the error boundary.
 */
export function domainProblem(form: FormData, error: unknown, more: object = {}) {
  if (error instanceof ZodError) return formProblem(form, { ...more, fieldErrors: fieldErrorsOf(error) }, 422);
  if (!(error instanceof DomainError)) throw error;
  const headers = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
  return formProblem(form, { ...more, formError: error.message, fieldErrors: error.fields }, statusOfDomainError[error.kind], headers);
}

function fieldErrorsOf(error: ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  return fieldErrors;
}

/**
 * The submitted form, if the request carries one: a URL-encoded or multipart body (with its boundary). Anything else
 * is a 415 and an unreadable body a 400, never a crash.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type")?.toLowerCase() ?? "";
  const isForm =
    type.startsWith("application/x-www-form-urlencoded") || (type.startsWith("multipart/form-data") && type.includes("boundary="));
  if (!isForm) throw data("Send this form as application/x-www-form-urlencoded or multipart/form-data.", { status: 415 });
  try {
    return await request.formData();
  } catch {
    throw data("The form could not be read. Reload the page and try again.", { status: 400 });
  }
}

/**
 * An action that reads the submitted form and shows what the domain refused beside it: a DomainError (or input its
 * schemas refused) becomes an inline form error with its status and what was typed. Anything else is left to the pages
 * door's error mapping.
 */
export function formAction<T>(handler: (args: ActionFunctionArgs & { form: FormData }) => Promise<T>) {
  return async (args: ActionFunctionArgs) => {
    const form = await readForm(args.request);
    try {
      return await handler({ ...args, form });
    } catch (error) {
      return domainProblem(form, error);
    }
  };
}
