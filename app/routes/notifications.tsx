import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { saveMarkers, readMarkers } from "#domain/markers.ts";
import { listNotificationGroups, type NotificationGroup } from "#domain/notifications/inbox.ts";
import { avatarPath } from "#domain/profiles/profile.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { PageLink } from "#app/components/page-link.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { titled } from "#app/meta.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { presentPostCard } from "#app/presenters/post-card.server.ts";

export const meta = titled("Notifications");

const TABS = { all: "All", mentions: "Mentions" } as const;
type Tab = keyof typeof TABS;

/** Kinds whose post is someone else's words to the viewer: shown whole, as on the home timeline. */
const SHOWS_POST = new Set(["mention", "quote"]);

/** How long a quoted excerpt of the viewer's own post may be. */
const EXCERPT_CHARACTERS = 140;

function presentGroup(group: NotificationGroup, lastReadId: string | null) {
  return {
    key: group.groupKey,
    type: group.type,
    count: group.count,
    at: group.latestAt.toISOString(),
    unread: lastReadId === null || group.mostRecentId > lastReadId,
    accounts: group.sampleAccounts.map((account) => ({
      username: account.username,
      displayName: account.displayName || account.username,
      avatar: avatarPath(account),
    })),
    post: group.post && SHOWS_POST.has(group.type) ? presentPostCard(group.post) : null,
    excerpt: group.story
      ? { href: `/stories/${group.story.authorUsername}/${group.story.itemId}`, text: "", fallback: "The story" }
      : group.post
        ? {
            href: `/${group.post.author.username}/status/${group.post.post.id}`,
            text: group.post.post.text.slice(0, EXCERPT_CHARACTERS) + (group.post.post.text.length > EXCERPT_CHARACTERS ? "…" : ""),
            fallback: "Your post",
          }
        : null,
  };
}

/**
 * The viewer's notifications, grouped ("Ana and 3 others liked your post"), newest first, in two tabs. Opening the
 * first page reads them (the notifications marker moves to the newest), as the large apps do; the badge clears.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const { domain } = context.scope;
  const tab: Tab = new URL(request.url).searchParams.get("tab") === "mentions" ? "mentions" : "all";
  const pageRequest = pageRequestOf(request);
  const filter = tab === "mentions" ? { types: ["mention" as const] } : {};
  const [page, [marker]] = await Promise.all([
    listNotificationGroups(domain, user.id, pageRequest, filter),
    readMarkers(domain, user.id, ["notifications"]),
  ]);
  const firstPage = !pageRequest.max_id && !pageRequest.min_id && !pageRequest.since_id;
  const newest = page.items[0]?.mostRecentId;
  if (tab === "all" && firstPage && newest && (!marker || newest > marker.lastReadId)) {
    await saveMarkers(domain, user.id, { notifications: { last_read_id: newest } });
  }
  return {
    now: Date.now(),
    tab,
    groups: page.items.map((group) => presentGroup(group, marker?.lastReadId ?? null)),
    ...pageLinks(request, pageRequest, page),
  };
}

/** Where a kind of notification is answered, for the kinds that ask something of their reader. */
const followUps: Partial<Record<NotificationGroup["type"], { to: string; label: string }>> = {
  friend_request: { to: "/friends", label: "Answer on Friends" },
  follow_request: { to: "/follow-requests", label: "Review requests" },
  "admin.report": { to: "/admin/reports", label: "Review reports" },
  "admin.sign_up": { to: "/admin/accounts?status=pending", label: "Review sign-ups" },
  moderation_warning: { to: "/settings/moderation", label: "See what happened" },
};

export default function Notifications() {
  const { now, tab, groups, older } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Notifications" />
      <nav aria-label="Which notifications" className="flex border-b border-line">
        {(Object.keys(TABS) as Tab[]).map((name) => (
          <Link
            key={name}
            to={name === "all" ? "/notifications" : `/notifications?tab=${name}`}
            aria-current={tab === name ? "page" : undefined}
            className={`flex-1 px-4 py-3 text-center hover:bg-raised ${tab === name ? "border-b-2 border-accent font-bold" : "text-muted"}`}
          >
            {TABS[name]}
          </Link>
        ))}
      </nav>
      {groups.length === 0 ? (
        <p className="px-4 py-8 text-center text-muted">
          {tab === "mentions"
            ? "No mentions yet."
            : "Nothing yet. When someone likes, reposts, mentions or follows you, you will see it here."}
        </p>
      ) : (
        <ol aria-label="Notifications">
          {groups.map((group) => (
            <li key={group.key} className={`border-b border-line ${group.unread ? "bg-accent-soft" : ""}`}>
              {group.post ? <PostCard post={group.post} now={now} /> : <GroupRow group={group} now={now} />}
            </li>
          ))}
        </ol>
      )}
      <PageLink to={older} rel="next">
        Older notifications
      </PageLink>
    </>
  );
}

type GroupData = ReturnType<typeof presentGroup>;

/** "Ana and 12 others liked your post": the latest faces, who, what, when, and the post it is about. */
function GroupRow({ group, now }: { group: GroupData; now: number }) {
  const [first, second] = group.accounts;
  const others = group.count - 1;
  return (
    <article className="flex flex-col gap-2 px-4 py-3">
      <div className="flex flex-wrap gap-1" aria-hidden="true">
        {group.accounts.map((account) => (
          <img key={account.username} src={account.avatar} alt="" width={32} height={32} className="size-8 rounded-full bg-raised" />
        ))}
      </div>
      <p>
        {first && (
          <Link to={`/${first.username}`} className="font-semibold hover:underline">
            {first.displayName}
          </Link>
        )}
        {others === 1 && second ? (
          <>
            {" and "}
            <Link to={`/${second.username}`} className="font-semibold hover:underline">
              {second.displayName}
            </Link>
          </>
        ) : others > 1 ? (
          ` and ${others} others`
        ) : null}{" "}
        {describe(group.type)} <span className="text-muted">·</span> <RelativeTime iso={group.at} now={now} />
        {group.unread && <span className="sr-only"> (new)</span>}
      </p>
      {followUps[group.type] && (
        <Link to={followUps[group.type]!.to} className="self-start font-semibold text-accent hover:underline">
          {followUps[group.type]!.label}
        </Link>
      )}
      {group.excerpt && (
        <Link to={group.excerpt.href} className="rounded-lg text-muted hover:underline">
          {group.excerpt.text || group.excerpt.fallback}
        </Link>
      )}
    </article>
  );
}

function describe(type: GroupData["type"]): string {
  switch (type) {
    case "favourite":
      return "liked your post";
    case "reblog":
      return "reposted your post";
    case "reaction":
      return "reacted to your post";
    case "follow":
      return "followed you";
    case "follow_request":
      return "asked to follow you";
    case "mention":
      return "mentioned you";
    case "quote":
      return "quoted your post";
    case "poll":
      return "— a poll has ended";
    case "update":
      return "edited a post you shared";
    case "friend_request":
      return "asked to be friends";
    case "friend_accept":
      return "accepted your friend request";
    case "status":
      return "posted";
    case "admin.report":
      return "filed a report";
    case "admin.sign_up":
      return "signed up";
    case "moderation_warning":
      return "— the moderators took an action on your account";
    case "story_mention":
      return "mentioned you in their story";
  }
}
