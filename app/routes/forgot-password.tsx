import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { requestPasswordReset } from "#domain/accounts/credentials.ts";
import { overAuthRateLimit } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { formAction, parseForm, rateLimited, type FormProblem } from "#app/forms.server.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Forgot your password");

const resetRequestSchema = z.object({ identifier: z.string().trim().min(1, "Enter your username or email") });

/** The answer is the same whether or not the account exists, so this page cannot be used to find accounts. */
const SENT = "If that matches an account, we have emailed a link to reset its password. It works once, for one hour.";

export const action = formAction(async ({ context, form }) => {
  const parsed = parseForm(resetRequestSchema, form);
  if (!parsed.ok) return parsed.response;
  if (await overAuthRateLimit(context, "reset", parsed.data.identifier)) return rateLimited(form);
  await requestPasswordReset(context.scope.domain, parsed.data.identifier, context.scope.origin);
  return { sent: SENT } as const;
});

export default function ForgotPassword() {
  const result = useActionData<FormProblem | { sent: string }>();
  const problem = result && "fieldErrors" in result ? result : undefined;
  const sent = result && "sent" in result ? result.sent : undefined;
  return (
    <AuthCard title="Reset your password" intro="Enter your username or email and we will send you a link.">
      <FormMessage error={problem?.formError} notice={sent} />
      <Form method="post" className="flex flex-col gap-4" noValidate>
        <Field
          label="Username or email"
          name="identifier"
          autoComplete="username"
          required
          defaultValue={problem?.values.identifier}
          error={problem?.fieldErrors.identifier}
        />
        <SubmitButton pendingLabel="Sending…">Send reset link</SubmitButton>
      </Form>
      <Link to="/login" className="text-accent underline">
        Back to log in
      </Link>
    </AuthCard>
  );
}
