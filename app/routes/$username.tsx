import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "#domain/accounts/permissions.ts";
import { block, mute, unblock, unmute } from "#domain/graph/blocks.ts";
import { follow, removeFollower, unfollow } from "#domain/graph/follows.ts";
import { cancelFriendRequest, rejectFriendship, requestFriendship, unfriend } from "#domain/graph/friends.ts";
import { setVerified } from "#domain/profiles/settings.ts";
import { profileTimeline } from "#domain/timelines.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { FormMessage } from "#app/components/forms.tsx";
import { PostCard } from "#app/components/post-card.tsx";
import { ProfileHeader } from "#app/components/profile-header.tsx";
import { formAction } from "#app/forms.server.ts";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { presentProfile } from "#app/presenters/profile.server.ts";
import { accountOrNotFound } from "#app/accounts.server.ts";
import { pageLinks, pageRequestOf } from "#app/paging.server.ts";
import { PageLink } from "#app/components/page-link.tsx";
import { pageMeta, shareMeta } from "#app/meta.ts";
import { visibleProfile } from "#domain/profiles/access.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PenIcon } from "#app/components/icons.tsx";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [];
  const { profile, share } = data;
  const title = `${profile.displayName} (@${profile.username})`;
  return [...pageMeta(matches, title, share.description), ...shareMeta(matches, { ...share, title, type: "profile", largeImage: false })];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const view = await accountOrNotFound(domain, viewerId, params.username ?? "");
  const pageRequest = pageRequestOf(request);
  const page = await profileTimeline(domain, viewerId, view, pageRequest);
  const profile = presentProfile(view);
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
    canVerify: can(viewer?.user, "update:verified:any"),
    posts: page.items.map(presentPostCard),
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

export default function Profile() {
  const { now, profile, isSelf, canVerify, posts, older } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formError = result && "formError" in result ? result.formError : undefined;
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
      <FormMessage error={formError} />
      {profile.access.level === "full" && (
        <section aria-label={`Posts by @${profile.username}`} className="border-t border-line">
          {posts.length === 0 && (
            <EmptyState
              icon={PenIcon}
              title="No posts yet"
              next={isSelf ? { to: "/compose", label: "Write your first post" } : undefined}
            />
          )}
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
          <PageLink to={older} rel="next">
            Older posts
          </PageLink>
        </section>
      )}
    </>
  );
}
