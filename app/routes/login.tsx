import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { logIn } from "#domain/accounts/login.ts";
import { startSession, twoFactorChallengeCookie } from "#app/auth/cookies.server.ts";
import { configuredProviders } from "#app/auth/providers.server.ts";
import { overAuthRateLimit, requireAnonymous, safeRedirect } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { ProviderButtons } from "#app/components/provider-buttons.tsx";
import { formAction, formProblem, parseForm, rateLimited, type FormProblem } from "#app/forms.server.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Log in");

const notices: Record<string, string> = {
  reset: "Your password has been changed, and every session, app and personal access token signed out. Log in with the new password.",
  deleted: "Your account has been deleted.",
  "signed-out": "You have been logged out.",
};

export function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  const notice = new URL(request.url).searchParams.get("notice");
  return { providers: configuredProviders(context.scope.config), notice: notice ? notices[notice] : undefined };
}

const loginSchema = z.object({
  identifier: z.string().trim().min(1, "Enter your username or email"),
  password: z.string().min(1, "Enter your password"),
  redirectTo: z.string().optional(),
});

export const action = formAction(async ({ context, form }) => {
  if (await overAuthRateLimit(context, "login")) return rateLimited(form);
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return parsed.response;
  const redirectTo = safeRedirect(parsed.data.redirectTo);
  const result = await logIn(context.scope.domain, parsed.data, context.scope.client);
  switch (result.kind) {
    case "signed-in":
      return redirect(redirectTo, { headers: startSession(result.sessionToken) });
    case "two-factor":
      return redirect(`/login/two-factor?${new URLSearchParams({ redirectTo })}`, {
        headers: { "Set-Cookie": twoFactorChallengeCookie(result.challenge) },
      });
    case "throttled":
      return rateLimited(form, result.retryAfterSeconds);
    case "invalid":
      return formProblem(form, { formError: "That username or email and password do not match an account.", fieldErrors: {} }, 401);
  }
});

export default function Login() {
  const { providers, notice } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? problem?.values.redirectTo ?? "/";
  return (
    <AuthCard
      title="Log in"
      intro={
        <>
          New here?{" "}
          <Link className="text-accent underline" to="/signup">
            Create an account
          </Link>
          .
        </>
      }
    >
      <FormMessage error={problem?.formError} notice={notice} />
      <Form method="post" className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="Username or email"
          name="identifier"
          autoComplete="username"
          required
          defaultValue={problem?.values.identifier}
          error={problem?.fieldErrors.identifier}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={problem?.fieldErrors.password}
        />
        <div className="flex items-center justify-between">
          <SubmitButton pendingLabel="Logging in…">Log in</SubmitButton>
          <Link to="/forgot-password" className="text-accent underline">
            Forgot your password?
          </Link>
        </div>
      </Form>
      <ProviderButtons providers={providers} verb="Continue with" />
    </AuthCard>
  );
}
