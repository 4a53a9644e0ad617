import type { ReactNode } from "react";
import type { ReviewedData, ReviewedMessageData } from "#app/admin.server.ts";

/** The admin area's pages, linked from each of them in one place. */
const adminPages = [
  { to: "/admin", label: "Dashboard" },
  { to: "/admin/reports", label: "Reports" },
  { to: "/admin/accounts", label: "Accounts" },
  { to: "/admin/queue", label: "Held for review" },
  { to: "/admin/audit", label: "Audit log" },
  { to: "/admin/trends", label: "Trends", adminOnly: true },
  { to: "/admin/emoji", label: "Custom emoji", adminOnly: true },
  { to: "/admin/email-blocks", label: "Email blocks", adminOnly: true },
  { to: "/admin/settings", label: "Settings", adminOnly: true },
];

export function AdminNav({ current, isAdmin }: { current: string; isAdmin: boolean }) {
  return (
    <nav aria-label="Admin" className="border-b border-line px-4 py-2">
      <ul className="flex flex-wrap gap-x-1 gap-y-1">
        {adminPages
          .filter((page) => isAdmin || !page.adminOnly)
          .map((page) => (
            <li key={page.to}>
              <a
                href={page.to}
                aria-current={page.to === current ? "page" : undefined}
                className="inline-flex min-h-11 items-center rounded-full px-3 font-medium aria-[current=page]:bg-accent-soft aria-[current=page]:font-bold"
              >
                {page.label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** One titled block of an admin page; with `empty`, what to say when it lists nothing. */
export function AdminSection({
  id,
  title,
  empty,
  isEmpty = false,
  children,
}: {
  id: string;
  title: ReactNode;
  empty?: string;
  isEmpty?: boolean;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="border-t border-line px-4 py-4 first:border-t-0">
      <h2 id={id} className="font-bold">
        {title}
      </h2>
      {isEmpty && empty ? <p className="text-muted">{empty}</p> : children}
    </section>
  );
}

/** The first error for a field or anything inside it (errors are keyed by the field's dotted path). */
export function errorAt(fieldErrors: Record<string, string> | undefined, path: string): string | undefined {
  if (!fieldErrors) return undefined;
  return fieldErrors[path] ?? Object.entries(fieldErrors).find(([key]) => key.startsWith(`${path}.`))?.[1];
}

/** How many hex digits of an input hash the list shows: enough to tell decisions apart at a glance. */
const SHORT_HASH = 12;

/**
 * What a reviewed post shows of the pipeline's decisions: classifier, model, outcome, reason and scores, and the input
 * hash, short, opening to the whole (a disclosure works by keyboard and touch, where a title would need a hover).
 */
export function Decisions({ decisions }: { decisions: ReviewedData["decisions"] }) {
  if (decisions.length === 0) return null;
  return (
    <ul className="mt-1 list-disc pl-5 text-sm text-muted">
      {decisions.map((decision) => (
        <li key={decision.id}>
          {decision.classifier}
          {decision.model ? ` (${decision.model})` : ""}: {decision.outcome} — {decision.reason}
          {decision.scores && ` [${decision.scores}]`}
          <details className="text-xs">
            <summary className="cursor-pointer">
              Input hash <code>{`${decision.inputHash.slice(0, SHORT_HASH)}…`}</code>
            </summary>
            <code className="break-all">{decision.inputHash}</code>
          </details>
        </li>
      ))}
    </ul>
  );
}

/** A post under review: who wrote it, when, its text, its state and the decisions about it. */
export function ReviewedPostView({ post, children }: { post: ReviewedData; children?: ReactNode }) {
  return (
    <div className="rounded border border-line p-2">
      <p className="text-sm text-muted">
        @{post.username}, {post.at.slice(0, 16).replace("T", " ")}
        {post.state && ` · ${post.state}`}
      </p>
      <p className="break-words whitespace-pre-line">{post.text}</p>
      <Decisions decisions={post.decisions} />
      {children}
    </div>
  );
}

/** A chat message under review: its sender, when, its text (decrypted for moderators), its state and the decisions. */
export function ReviewedMessageView({ message }: { message: ReviewedMessageData }) {
  return (
    <div className="rounded border border-line p-2">
      <p className="text-sm text-muted">
        @{message.username}, {message.at.slice(0, 16).replace("T", " ")}
        {message.state && ` · ${message.state}`}
        {message.sensitive && " · files marked sensitive"}
      </p>
      <p className="break-words whitespace-pre-line">{message.text ?? "(deleted by its sender)"}</p>
      {message.attachments.length > 0 && (
        <ul aria-label="Attachments" className="mt-1 flex flex-wrap gap-2 text-sm">
          {message.attachments.map((attachment) => (
            <li key={attachment.url}>
              <a href={attachment.url} className="inline-flex min-h-6 items-center gap-2 underline">
                {attachment.preview && (
                  <img src={attachment.preview} alt="" width={96} height={96} className="size-24 rounded object-cover" />
                )}
                {`${attachment.type}: ${attachment.name}${attachment.description ? ` (${attachment.description})` : ""}`}
              </a>
            </li>
          ))}
        </ul>
      )}
      <Decisions decisions={message.decisions} />
    </div>
  );
}

/**
 * A wide table's horizontal scroller. On a phone the table overflows, and a scrolling region must be reachable by
 * keyboard (axe: scrollable-region-focusable), so it takes focus and is named.
 */
export function TableScroller({ label, className = "", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be focusable to be scrolled by keyboard
      tabIndex={0}
      className={`overflow-x-auto focus-visible:outline-2 focus-visible:outline-accent ${className}`}
    >
      {children}
    </div>
  );
}
