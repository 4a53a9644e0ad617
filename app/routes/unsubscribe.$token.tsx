import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notificationKinds } from "#domain/notifications/preferences.ts";
import { readUnsubscribeToken, unsubscribe } from "#domain/notifications/unsubscribe.ts";
import { AuthCard } from "#app/components/auth-card.tsx";
import { SubmitButton } from "#app/components/forms.tsx";
import { readForm } from "#app/forms.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Stop these emails");

/**
 * The link in every notification email (List-Unsubscribe, RFC 8058). Opening it only shows a button, since mail
 * scanners open links; the POST, from that button or a mail client's one-click unsubscribe, stops the emails. The
 * token is the authority: no session, and the pages door lets this POST through without a same-origin check.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const named = await readUnsubscribeToken(context.scope.domain, params.token ?? "");
  return data({ kinds: named?.types.map((type) => notificationKinds[type].name) ?? null }, { status: named ? 200 : 404 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request);
  const types = await unsubscribe(context.scope.domain, params.token ?? "");
  return data({ stopped: types?.map((type) => notificationKinds[type].name) ?? null }, { status: types ? 200 : 404 });
}

const listed = (kinds: string[]) => kinds.map((kind) => kind.toLowerCase()).join(", ");

export default function Unsubscribe() {
  const { kinds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const settingsLink = (
    <Link to="/settings/notifications" className="text-accent underline">
      notification settings
    </Link>
  );
  if (!kinds || (result && !result.stopped)) {
    return (
      <AuthCard title="This link does not work" intro="It may have been copied only in part. Open it again from the email.">
        <p>You can also choose which emails you get in your {settingsLink}.</p>
      </AuthCard>
    );
  }
  if (result?.stopped) {
    return (
      <AuthCard title="No more of these emails" intro={`You will no longer get emails about: ${listed(result.stopped)}.`}>
        <p>You still see them in the app. Change this any time in your {settingsLink}.</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Stop these emails?" intro={`Emails about: ${listed(kinds)}. You will still see them in the app.`}>
      <Form method="post">
        <SubmitButton pendingLabel="Stopping…">Stop these emails</SubmitButton>
      </Form>
    </AuthCard>
  );
}
