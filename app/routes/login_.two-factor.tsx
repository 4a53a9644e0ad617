import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { completeTwoFactorLogin } from "#domain/accounts/login.ts";
import { clearTwoFactorChallenge, TWO_FACTOR_COOKIE } from "#app/auth/cookies.server.ts";
import { overAuthRateLimit, requireAnonymous, safeRedirect } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { formAction, formProblem, parseForm, rateLimited, type FormProblem } from "#app/forms.server.ts";
import { readCookie, sessionCookie } from "#workers/platform/session-cookie.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Two-factor authentication");

export function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  if (!readCookie(request, TWO_FACTOR_COOKIE)) throw redirect("/login");
  return null;
}

const codeSchema = z.object({
  code: z.string().trim().min(6, "Enter the 6-digit code or a recovery code"),
  redirectTo: z.string().optional(),
});

export const action = formAction(async ({ request, context, form }) => {
  if (await overAuthRateLimit(context, "login")) return rateLimited(form);
  const challenge = readCookie(request, TWO_FACTOR_COOKIE);
  if (!challenge) throw redirect("/login");
  const parsed = parseForm(codeSchema, form);
  if (!parsed.ok) return parsed.response;
  const result = await completeTwoFactorLogin(context.scope.domain, { challenge, code: parsed.data.code }, context.scope.client);
  if (result.kind === "signed-in") {
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(result.sessionToken));
    headers.append("Set-Cookie", clearTwoFactorChallenge());
    return redirect(safeRedirect(parsed.data.redirectTo), { headers });
  }
  if (result.kind === "throttled") return rateLimited(form, result.retryAfterSeconds);
  return formProblem(
    form,
    { formError: "That code did not work. Try the current code from your app, or a recovery code.", fieldErrors: {} },
    401,
  );
});

export default function TwoFactorLogin() {
  const problem = useActionData<FormProblem>();
  const [searchParams] = useSearchParams();
  return (
    <AuthCard
      title="Enter your code"
      intro="Open your authenticator app and enter the 6-digit code for Perch, or use one of your recovery codes."
    >
      <FormMessage error={problem?.formError} />
      <Form method="post" className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <Field label="Code" name="code" autoComplete="one-time-code" inputMode="text" required error={problem?.fieldErrors.code} />
        <SubmitButton pendingLabel="Checking…">Log in</SubmitButton>
      </Form>
    </AuthCard>
  );
}
