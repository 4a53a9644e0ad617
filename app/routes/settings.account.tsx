import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { changePassword, hasPassword, requestEmailChange } from "#domain/accounts/credentials.ts";
import { deleteAccount } from "#domain/accounts/deletion.ts";
import { sendVerificationEmail } from "#domain/accounts/email-verification.ts";
import { hasTwoFactor } from "#domain/accounts/two-factor.ts";
import { emailSchema, passwordSchema } from "#domain/accounts/users.ts";
import { endSessionCookie } from "#app/auth/cookies.server.ts";
import { overAuthRateLimit, requireViewer } from "#app/auth/viewer.server.ts";
import { Field, FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { SettingsSection } from "#app/components/settings-section.tsx";
import { formAction, formProblem, parseForm, rateLimited, type FormProblem } from "#app/forms.server.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Account settings");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  return {
    email: user.email,
    verified: Boolean(user.emailVerifiedAt),
    hasPassword: await hasPassword(domain, user.id),
    hasTwoFactor: await hasTwoFactor(domain, user.id),
  };
}

const changePasswordSchema = z
  .object({ current: z.string().default(""), next: passwordSchema, confirm: z.string() })
  .refine((form) => form.next === form.confirm, { message: "The new passwords do not match", path: ["confirm"] });
const changeEmailSchema = z.object({ email: emailSchema, password: z.string().min(1, "Enter your password") });
const deleteSchema = z.object({
  password: z.string().optional(),
  code: z.string().optional(),
  confirm: z.literal("delete", { message: 'Type "delete" to confirm' }),
});

type Notice = { intent: string; notice: string };

export const action = formAction(async ({ request, context, form }) => {
  const viewer = requireViewer(context, request);
  const { domain, origin, client } = context.scope;
  const intent = String(form.get("intent"));
  switch (intent) {
    case "resend-verification": {
      if (await overAuthRateLimit(context, "verify-email")) return rateLimited(form);
      await sendVerificationEmail(domain, viewer.user, origin);
      return { intent, notice: `We sent a new link to ${viewer.user.email}.` } satisfies Notice;
    }
    case "change-password": {
      const parsed = parseForm(changePasswordSchema, form);
      if (!parsed.ok) return parsed.response;
      await changePassword(
        domain,
        { userId: viewer.user.id, current: parsed.data.current, next: parsed.data.next, keepSessionId: viewer.sessionId },
        client,
      );
      return {
        intent,
        notice: "Password changed. Every other device, app and personal access token has been signed out; this browser stays signed in.",
      } satisfies Notice;
    }
    case "change-email": {
      if (await overAuthRateLimit(context, "change-email")) return rateLimited(form);
      const parsed = parseForm(changeEmailSchema, form);
      if (!parsed.ok) return parsed.response;
      await requestEmailChange(domain, { user: viewer.user, newEmail: parsed.data.email, password: parsed.data.password }, origin, client);
      return { intent, notice: `Check ${parsed.data.email}: the change happens when you click the link we sent there.` } satisfies Notice;
    }
    case "delete-account": {
      const parsed = parseForm(deleteSchema, form);
      if (!parsed.ok) return parsed.response;
      await deleteAccount(domain, viewer.user, parsed.data, client);
      return redirect("/login?notice=deleted", { headers: endSessionCookie() });
    }
    default:
      return formProblem(form, { formError: "Unknown action", fieldErrors: {} }, 400);
  }
});

export default function AccountSettings() {
  const { email, verified, hasPassword: passwordSet, hasTwoFactor: twoFactorOn } = useLoaderData<typeof loader>();
  const result = useActionData<FormProblem | Notice>();
  const problemFor = (intent: string) => (result && "fieldErrors" in result && result.values.intent === intent ? result : undefined);
  const noticeFor = (intent: string) => (result && "notice" in result && result.intent === intent ? result.notice : undefined);
  const emailProblem = problemFor("change-email");
  const passwordProblem = problemFor("change-password");
  const deleteProblem = problemFor("delete-account");
  return (
    <>
      <SettingsSection
        id="email-heading"
        title="Email"
        description={
          <>
            Your address is <strong>{email}</strong> ({verified ? "confirmed" : "not confirmed yet"}).
          </>
        }
      >
        <FormMessage notice={noticeFor("resend-verification")} error={problemFor("resend-verification")?.formError} />
        {!verified && (
          <Form method="post">
            <input type="hidden" name="intent" value="resend-verification" />
            <p className="mb-3">You can post once you confirm your email address.</p>
            <SubmitButton variant="secondary" intent="resend-verification" pendingLabel="Sending…">
              Send the confirmation link again
            </SubmitButton>
          </Form>
        )}
        <Form method="post" className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="intent" value="change-email" />
          <FormMessage notice={noticeFor("change-email")} error={emailProblem?.formError} />
          <Field
            label="New email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={emailProblem?.values.email}
            error={emailProblem?.fieldErrors.email}
          />
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={emailProblem?.fieldErrors.password}
          />
          <div>
            <SubmitButton variant="secondary" intent="change-email" pendingLabel="Sending…">
              Change email
            </SubmitButton>
          </div>
        </Form>
      </SettingsSection>

      <SettingsSection
        id="password-heading"
        title="Password"
        description={
          passwordSet
            ? "Changing it signs out every other device, and every app and personal access token; this browser stays signed in."
            : "You sign in with a connected account; set a password to sign in without it."
        }
      >
        <Form method="post" className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="intent" value="change-password" />
          <FormMessage notice={noticeFor("change-password")} error={passwordProblem?.formError} />
          {passwordSet && (
            <Field
              label="Current password"
              name="current"
              type="password"
              autoComplete="current-password"
              required
              error={passwordProblem?.fieldErrors.current}
            />
          )}
          <Field
            label="New password"
            name="next"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters."
            error={passwordProblem?.fieldErrors.next}
          />
          <Field
            label="Repeat the new password"
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            error={passwordProblem?.fieldErrors.confirm}
          />
          <div>
            <SubmitButton intent="change-password" pendingLabel="Saving…">
              {passwordSet ? "Change password" : "Set password"}
            </SubmitButton>
          </div>
        </Form>
      </SettingsSection>

      <SettingsSection
        id="export-heading"
        title="Your data"
        description="Download your profile, posts, follows, connections, sessions and log-in history as JSON."
      >
        <a href="/settings/export" download className="self-start rounded-full border border-line px-5 py-2.5 font-semibold">
          Download my data
        </a>
      </SettingsSection>

      <SettingsSection
        id="delete-heading"
        title="Delete account"
        description="This removes your account, posts, follows and personal data for good, and signs you out everywhere."
      >
        <Form method="post" className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="intent" value="delete-account" />
          <FormMessage error={deleteProblem?.formError} />
          {passwordSet && (
            <Field
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              error={deleteProblem?.fieldErrors.password}
            />
          )}
          {twoFactorOn && (
            <Field
              label={passwordSet ? "Or a two-factor code" : "A two-factor code"}
              name="code"
              autoComplete="one-time-code"
              error={deleteProblem?.fieldErrors.code}
            />
          )}
          <Field label='Type "delete" to confirm' name="confirm" autoComplete="off" required error={deleteProblem?.fieldErrors.confirm} />
          <div>
            <SubmitButton variant="danger" intent="delete-account" pendingLabel="Deleting…">
              Delete my account
            </SubmitButton>
          </div>
        </Form>
      </SettingsSection>
    </>
  );
}
