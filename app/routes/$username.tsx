import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { HighlightRow } from "#app/components/highlight-row.tsx";
import { highlightsOf } from "#domain/stories/highlights.ts";
import { z } from "zod";
import { can } from "#domain/accounts/permissions.ts";
import { block, mute, unblock, unmute } from "#domain/graph/blocks.ts";
import { follow, removeFollower, unfollow } from "#domain/graph/follows.ts";
import { cancelFriendRequest, rejectFriendship, requestFriendship, unfriend } from "#domain/graph/friends.ts";
import { setVerified } from "#domain/profiles/settings.ts";
import { markedPosts } from "#domain/posts/removal.ts";
import type { PageRequest } from "#domain/pagination.ts";
import { pinnedPosts, profileTimeline } from "#domain/timelines.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { ProfileHeader } from "#app/components/profile-header.tsx";
import { formAction } from "#app/forms.server.ts";
import { presentMediaTile, presentPostCard } from "#app/presenters/post-card.server.ts";
import { MediaGrid } from "#app/components/media-grid.tsx";
import { TabLinks } from "#app/components/tab-links.tsx";
import { MomentLinks } from "#app/components/moment-links.tsx";
import { momentsOf } from "#domain/moments/moments.ts";
import { notFound } from "#app/responses.server.ts";
import { presentProfile } from "#app/presenters/profile.server.ts";
import { accountOrNotFound } from "#app/accounts.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { pageMeta, shareMeta } from "#app/meta.ts";
import { visibleProfile, type AccountView } from "#domain/profiles/access.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { HeartIcon, PenIcon, PlayIcon } from "#app/components/icons.tsx";
import { noteShown } from "#workers/platform/impressions.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [];
  const { profile, share } = data;
  const title = `${profile.displayName} (@${profile.username})`;
  return [...pageMeta(matches, title, share.description), ...shareMeta(matches, { ...share, title, type: "profile", largeImage: false })];
};

const profileTabs = ["posts", "replies", "media", "likes"] as const;
type ProfileTab = (typeof profileTabs)[number];

/**
 * The tab's posts: Posts (no replies to others; the pinned ones shown above, not again below), Posts and replies,
 * Media (posts with attachments, no reposts) and Likes (the viewer's own, only on their own profile).
 */
async function tabPage(context: LoaderFunctionArgs["context"], tab: ProfileTab, view: AccountView, pageRequest: PageRequest) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  switch (tab) {
    case "posts":
      return profileTimeline(domain, viewerId, view, pageRequest, { excludeReplies: true, unpinned: true });
    case "replies":
      return profileTimeline(domain, viewerId, view, pageRequest);
    case "media":
      return profileTimeline(domain, viewerId, view, pageRequest, { onlyMedia: true, excludeReblogs: true });
    case "likes":
      // What you liked is yours alone: on anyone else's profile the tab does not exist.
      if (!viewerId || viewerId !== view.account.id) throw notFound();
      return markedPosts(domain, viewerId, "favourites", pageRequest);
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const view = await accountOrNotFound(domain, viewerId, params.username ?? "");
  const pageRequest = pageRequestOf(request);
  const asked = new URL(request.url).searchParams.get("tab");
  const tab = profileTabs.find((name) => name === (asked ?? "posts"));
  if (!tab) throw notFound("There is no such tab on a profile.");
  const page = await tabPage(context, tab, view, pageRequest);
  const firstPage = !pageRequest.max_id && !pageRequest.min_id && !pageRequest.since_id;
  const pinned = tab === "posts" && firstPage ? await pinnedPosts(domain, viewerId, view) : [];
  await noteShown(context.scope, [...pinned, ...page.items], view.account.id);
  const profile = presentProfile(view);
  const { moments } = await momentsOf(domain, viewerId, view.account.id);
  const bio = visibleProfile(view).bio.replace(/\s+/g, " ").trim();
  return {
    now: Date.now(),
    profile,
    // A shared link's preview: the bio the viewer may see (or who this is), and the avatar.
    share: {
      description: bio
        ? bio.length > 200
          ? `${bio.slice(0, 199)}…`
          : bio
        : `@${profile.username} on ${context.scope.config.INSTANCE_TITLE}`,
      url: `${context.scope.origin}/${profile.username}`,
      image: new URL(profile.avatar, context.scope.origin).href,
    },
    isSelf: viewerId === view.account.id,
    // The owner of a held profile sees it as everyone else does (blank), told why (docs/decisions/0054).
    held: viewerId === view.account.id && viewer?.user.profileModerationState === "held",
    highlights: (await highlightsOf(domain, viewerId, { id: view.account.id })).map(({ highlight, cover }) => ({
      id: highlight.id,
      title: highlight.title,
      cover: cover?.filesKept && (cover.previewKey || cover.mediaType !== "video") ? `/media/${cover.previewKey ?? cover.key}` : null,
    })),
    canVerify: can(viewer?.user, "update:verified:any"),
    tab,
    moments: moments.map((moment) => ({ id: moment.id, title: moment.title })),
    pinned: pinned.map(presentPostCard),
    posts: tab === "media" ? [] : page.items.map(presentPostCard),
    tiles: tab === "media" ? page.items.map(presentMediaTile) : [],
    ...pageLinks(request, pageRequest, page),
  };
}

const muteDuration = z.coerce.number().int().min(0).catch(0);

/** Every button on a profile is a form posting here; the domain decides what each may do. */
export const action = formAction(async ({ request, params, context, form }) => {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const me = viewer.user.id;
  const { account } = await accountOrNotFound(domain, me, params.username ?? "");
  const them = account.id;
  switch (form.get("intent")) {
    case "follow":
      return follow(domain, me, them);
    case "unfollow":
      return unfollow(domain, me, them);
    case "bell":
      return follow(domain, me, them, { notify: form.get("notify") === "true" });
    case "remove-follower":
      return removeFollower(domain, me, them);
    case "friend":
      return requestFriendship(domain, me, them);
    case "reject-friend":
      return rejectFriendship(domain, me, them);
    case "unfriend":
      await cancelFriendRequest(domain, me, them);
      return unfriend(domain, me, them);
    case "block":
      return block(domain, me, them);
    case "unblock":
      return unblock(domain, me, them);
    case "mute": {
      const seconds = muteDuration.parse(form.get("duration"));
      return mute(domain, me, them, { durationSeconds: seconds || undefined });
    }
    case "unmute":
      return unmute(domain, me, them);
    case "verify":
    case "unverify":
      await setVerified(domain, them, form.get("intent") === "verify");
      return null;
    default:
      throw new Response("Unknown action", { status: 400 });
  }
});

const tabLabels: Record<ProfileTab, string> = { posts: "Posts", replies: "Posts and replies", media: "Media", likes: "Likes" };

const emptyTab: Record<ProfileTab, string> = {
  posts: "No posts yet.",
  replies: "No posts or replies yet.",
  media: "No photos or videos yet.",
  likes: "Posts you like appear here. Only you can see them.",
};

export default function Profile() {
  const { now, profile, isSelf, held, canVerify, tab, moments, pinned, posts, tiles, older, highlights } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formError = result && "formError" in result ? result.formError : undefined;
  const shown = (["posts", "replies", "media", "likes"] as const).filter((name) => name !== "likes" || isSelf);
  const empty = pinned.length === 0 && posts.length === 0 && tiles.length === 0;
  return (
    <>
      {profile.background && (
        <div
          aria-hidden="true"
          className="pointer-events-none fixed inset-0 -z-10 bg-cover bg-center opacity-20"
          style={{ backgroundImage: `url(${profile.background})` }}
        />
      )}
      <ProfileHeader profile={profile} isSelf={isSelf} canVerify={canVerify} />
      {held && (
        <p className="mx-4 mt-3 rounded-lg border border-danger px-3 py-2 text-sm">
          Your profile is held for review: until a moderator decides, everyone else sees it as it looks here, without what you wrote and
          chose in{" "}
          <a href="/settings/profile" className="underline">
            Edit profile
          </a>
          .
        </p>
      )}
      <FormMessage error={formError} />
      <HighlightRow username={profile.username} highlights={highlights} />
      {profile.access.level === "full" && (
        <>
          <MomentLinks username={profile.username} moments={moments} isSelf={isSelf} />
          <TabLinks
            label={`@${profile.username}'s posts`}
            tabs={shown.map((name) => ({
              to: name === "posts" ? `/${profile.username}` : `/${profile.username}?tab=${name}`,
              label: tabLabels[name],
              current: name === tab,
            }))}
          />
          <section aria-label={`${tabLabels[tab]} of @${profile.username}`}>
            {empty && (
              <EmptyState
                icon={tab === "media" ? PlayIcon : tab === "likes" ? HeartIcon : PenIcon}
                title={emptyTab[tab]}
                next={isSelf && tab !== "likes" ? { to: "/compose", label: "Write your first post" } : undefined}
              />
            )}
            {pinned.map((post) => (
              <PostCard key={post.rowId} post={post} now={now} pinned />
            ))}
            {tab === "media" ? (
              <MediaGrid tiles={tiles} label={`Photos and videos by @${profile.username}`} />
            ) : (
              posts.map((post) => <PostCard key={post.rowId} post={post} now={now} />)
            )}
            {tab === "likes" && !empty && <p className="px-4 py-3 text-center text-sm text-muted">Only you can see what you liked.</p>}
            <PageLink to={older} rel="next">
              {tab === "likes" ? "Older likes" : "Older posts"}
            </PageLink>
          </section>
        </>
      )}
    </>
  );
}
