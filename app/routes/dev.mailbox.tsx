import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { mailbox } from "#domain/email.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { notFound } from "#app/responses.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Development mailbox");

/** Only where email is not really sent (development and tests): every outgoing email, newest first. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { config, domain } = context.scope;
  if (config.ENVIRONMENT !== "development" && config.ENVIRONMENT !== "test") throw notFound();
  const emails = await mailbox(domain);
  return {
    emails: emails.map((email) => ({
      id: email.id,
      to: email.to,
      subject: email.subject,
      text: email.text ?? "",
      status: email.status,
      createdAt: email.createdAt.toISOString(),
    })),
  };
}

/** Splits a text body into text and links, so the links in emails can be clicked. */
function Linked({ text }: { text: string }) {
  return text.split(/(https?:\/\/\S+)/g).map((part, index) =>
    /^https?:\/\//.test(part) ? (
      <a key={index} href={part} className="break-all text-accent underline">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

export default function Mailbox() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Development mailbox" description="Emails the app would have sent. Only here when running locally." />
      {emails.length === 0 && <p className="px-4 py-8 text-center text-muted">No emails yet.</p>}
      <ol className="divide-y divide-line">
        {emails.map((email) => (
          <li key={email.id}>
            <article aria-labelledby={`email-${email.id}`} className="px-4 py-4">
              <h2 id={`email-${email.id}`} className="font-bold">
                {email.subject}
              </h2>
              <p className="text-sm text-muted">
                To {email.to} · {email.status} ·{" "}
                <time dateTime={email.createdAt}>{email.createdAt.replace("T", " ").slice(0, 19)} UTC</time>
              </p>
              <div className="mt-2 whitespace-pre-wrap">
                <Linked text={email.text} />
              </div>
            </article>
          </li>
        ))}
      </ol>
    </>
  );
}
