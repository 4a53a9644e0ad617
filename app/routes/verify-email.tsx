import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { data, redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { confirmEmailChange } from "#domain/accounts/credentials.ts";
import { sendVerificationEmail, verifyEmail } from "#domain/accounts/email-verification.ts";
import { peekVerification } from "#domain/accounts/verifications.ts";
import { overAuthRateLimit, requireViewer } from "#app/auth/viewer.server.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { FormMessage, SubmitButton } from "#app/components/forms.tsx";
import { formAction } from "#app/forms.server.ts";
import { passActionHeaders } from "#app/route-headers.ts";
import { titled } from "#app/meta.ts";

export const headers = passActionHeaders;

export const meta = titled("Confirm your email");

/**
 * Opening the link only shows a button: link scanners in mail systems fetch links, and a GET must not use up the
 * token. The POST confirms.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const change = url.searchParams.get("change") === "1";
  const valid = token ? Boolean(await peekVerification(context.scope.domain, change ? "change-email" : "verify-email", token)) : false;
  return data({ token, change, valid }, { status: valid ? 200 : 410 });
}

export const action = formAction(async ({ request, context, form }) => {
  const { domain, origin } = context.scope;
  if (form.get("intent") === "resend") {
    const viewer = requireViewer(context, request);
    if (await overAuthRateLimit(context, "verify-email")) {
      return data(
        { error: "Too many requests. Wait a minute and try again.", sent: false },
        { status: 429, headers: { "Retry-After": "60" } },
      );
    }
    if (!viewer.user.emailVerifiedAt) await sendVerificationEmail(domain, viewer.user, origin);
    return { error: undefined, sent: true };
  }
  const token = String(form.get("token") ?? "");
  const user = form.get("change") === "1" ? await confirmEmailChange(domain, token) : await verifyEmail(domain, token);
  if (!user) return data({ error: "This link has expired or has already been used.", sent: false }, { status: 410 });
  return redirect("/welcome");
});

export default function VerifyEmail() {
  const { token, change, valid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = result && "sent" in result && result.sent;
  const error = result && "fieldErrors" in result ? (result.formError ?? "This link could not be used.") : result?.error;
  if (sent) {
    return (
      <AuthCard title="Link sent" intro="A new confirmation link is on its way; earlier links no longer work.">
        <Link to="/" className="text-accent underline">
          Back to the timeline
        </Link>
      </AuthCard>
    );
  }
  if (!valid || error) {
    return (
      <AuthCard title="This link no longer works" intro="Links work once, and only for a limited time.">
        <FormMessage error={error} />
        <p>
          Log in and ask for a new one from{" "}
          <Link to="/settings/account" className="text-accent underline">
            your account settings
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={change ? "Confirm your new email" : "Confirm your email"} intro="One click and you're done.">
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        {change && <input type="hidden" name="change" value="1" />}
        <SubmitButton pendingLabel="Confirming…">Confirm email address</SubmitButton>
      </Form>
    </AuthCard>
  );
}
