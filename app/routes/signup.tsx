import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { createSession } from "#domain/accounts/sessions.ts";
import { CLOSED_MESSAGE } from "#domain/accounts/registrations.ts";
import { signUp, signupSchema } from "#domain/accounts/signup.ts";
import { siteInfo } from "#domain/instance-settings.ts";
import { startSession } from "#app/auth/cookies.server.ts";
import { configuredProviders } from "#app/auth/providers.server.ts";
import { overAuthRateLimit, requireAnonymous } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { ProviderButtons } from "#app/components/provider-buttons.tsx";
import { ServerRules } from "#app/components/server-rules.tsx";
import { formAction, parseForm, rateLimited, type FormProblem } from "#app/forms.server.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Create an account");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  const invite = new URL(request.url).searchParams.get("invite")?.slice(0, 64) ?? "";
  const { rules, registrations: mode } = await siteInfo(context.scope.domain);
  return { providers: configuredProviders(context.scope.config), rules, mode, invite };
}

export const action = formAction(async ({ context, form }) => {
  if (await overAuthRateLimit(context, "signup")) return rateLimited(form);
  const parsed = parseForm(signupSchema, form);
  if (!parsed.ok) return parsed.response;
  const { domain, client, origin } = context.scope;
  const result = await signUp(domain, parsed.data, origin);
  if (result.kind === "created" && !result.user.approved) return redirect("/welcome?pending=1");
  if (result.kind === "created")
    return redirect("/welcome", { headers: startSession(await createSession(domain, result.user.id, client)) });
  return redirect("/welcome?check-email=1");
});

export default function Signup() {
  const { providers, rules, mode, invite } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  const values = problem?.values ?? {};
  const errors = problem?.fieldErrors ?? {};
  const inviteCode = values.invite ?? invite;
  if (mode === "closed" && !inviteCode) {
    return (
      <AuthCard title="Registrations are closed" intro={CLOSED_MESSAGE}>
        <p>
          Already have an account?{" "}
          <Link className="text-accent underline" to="/login">
            Log in
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your account"
      intro={
        <>
          Already have one?{" "}
          <Link className="text-accent underline" to="/login">
            Log in
          </Link>
          .
        </>
      }
    >
      <FormMessage error={problem?.formError} />
      <ServerRules rules={rules} />
      {mode === "approval" && !inviteCode && (
        <p role="note">A moderator reviews each sign-up on this server: you can log in once your account is approved.</p>
      )}
      <Form method="post" className="flex flex-col gap-4" noValidate>
        {inviteCode && <input type="hidden" name="invite" value={inviteCode} />}
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          required
          maxLength={30}
          defaultValue={values.username}
          error={errors.username}
          hint="1 to 30 letters, digits or underscores. This is your @name."
        />
        <Field
          label="Display name"
          name="displayName"
          autoComplete="name"
          maxLength={50}
          defaultValue={values.displayName}
          error={errors.displayName}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
          hint="We send a link to confirm it. You can post once it is confirmed."
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          error={errors.password}
          hint="At least 10 characters."
        />
        {mode === "approval" && !inviteCode && (
          <Field
            label="Why do you want to join?"
            name="reason"
            maxLength={1000}
            defaultValue={values.reason}
            error={errors.reason}
            hint="The moderators read this when they review your sign-up."
          />
        )}
        <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
          <label htmlFor="signup-website">Website (leave empty)</label>
          <input id="signup-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
      </Form>
      <ProviderButtons providers={providers} verb="Sign up with" />
    </AuthCard>
  );
}
