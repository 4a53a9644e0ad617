import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { AuthCard } from "#app/components/auth-card.tsx";
import { SubmitButton } from "#app/components/forms.tsx";
import { titled } from "#app/meta.ts";

export const meta = titled("Check your email");

export function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, config } = context.scope;
  return {
    pending: !viewer && new URL(request.url).searchParams.has("pending"),
    signedIn: Boolean(viewer),
    verified: Boolean(viewer?.user.emailVerifiedAt),
    email: viewer?.user.email,
    mailbox: config.ENVIRONMENT === "development" || config.ENVIRONMENT === "test",
  };
}

/** After sign-up: one step left, confirming the email address. */
export default function Welcome() {
  const { signedIn, verified, email, mailbox, pending } = useLoaderData<typeof loader>();
  if (pending) {
    return (
      <AuthCard
        title="Waiting for approval"
        intro="Your account was created and a moderator will review it. You can log in once it is approved; meanwhile, confirm your email with the link we sent."
      >
        <a href="/" className="self-start rounded-full bg-accent px-5 py-2.5 font-semibold text-accent-ink">
          Back to the start
        </a>
      </AuthCard>
    );
  }
  if (verified) {
    return (
      <AuthCard title="You're all set" intro="Your email is confirmed.">
        <a href="/" className="self-start rounded-full bg-accent px-5 py-2.5 font-semibold text-accent-ink">
          Go to the timeline
        </a>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Check your email"
      intro={
        signedIn ? (
          <>
            We sent a confirmation link to <strong>{email}</strong>. You can look around now; posting starts once you confirm.
          </>
        ) : (
          "If that address can be used for a new account, a confirmation link is on its way."
        )
      }
    >
      {signedIn && (
        <Form method="post" action="/verify-email">
          <input type="hidden" name="intent" value="resend" />
          <SubmitButton variant="secondary" pendingLabel="Sending…">
            Send the link again
          </SubmitButton>
        </Form>
      )}
      {mailbox && (
        <p className="text-sm text-muted">
          Running locally: emails are not sent, they appear in the{" "}
          <a className="text-accent underline" href="/dev/mailbox">
            development mailbox
          </a>
          .
        </p>
      )}
    </AuthCard>
  );
}
