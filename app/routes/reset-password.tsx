import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { data, redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { resetPassword } from "#domain/accounts/credentials.ts";
import { passwordSchema } from "#domain/accounts/users.ts";
import { peekVerification } from "#domain/accounts/verifications.ts";
import { endSessionCookie } from "#app/auth/cookies.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { formAction, formProblem, parseForm, type FormProblem } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Choose a new password");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const valid = token ? Boolean(await peekVerification(context.scope.domain, "reset-password", token)) : false;
  return data({ token, valid }, { status: valid ? 200 : 410 });
}

const resetSchema = z
  .object({ token: z.string().min(1), password: passwordSchema, confirm: z.string() })
  .refine((form) => form.password === form.confirm, { message: "The passwords do not match", path: ["confirm"] });

export const action = formAction(async ({ context, form }) => {
  const parsed = parseForm(resetSchema, form);
  if (!parsed.ok) return parsed.response;
  const user = await resetPassword(context.scope.domain, parsed.data.token, parsed.data.password);
  if (!user)
    return formProblem(form, { formError: "This link has expired or has already been used. Ask for a new one.", fieldErrors: {} }, 410);
  return redirect("/login?notice=reset", { headers: endSessionCookie() });
});

export default function ResetPassword() {
  const { token, valid } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  if (!valid) {
    return (
      <AuthCard title="This link no longer works" intro="Reset links work once, for one hour.">
        <Link to="/forgot-password" className="text-accent underline">
          Ask for a new link
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      intro="Every device signed in to your account will be signed out, and every app and personal access token will stop working."
    >
      <FormMessage error={problem?.formError} />
      <Form method="post" className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="token" value={token} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          error={problem?.fieldErrors.password}
          hint="At least 10 characters."
        />
        <Field
          label="Repeat the new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={problem?.fieldErrors.confirm}
        />
        <SubmitButton pendingLabel="Saving…">Set new password</SubmitButton>
      </Form>
    </AuthCard>
  );
}
