import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "#domain/accounts/permissions.ts";
import { block, mute, unblock, unmute } from "#domain/graph/blocks.ts";
import { follow, removeFollower, unfollow } from "#domain/graph/follows.ts";
import { cancelFriendRequest, rejectFriendship, requestFriendship, unfriend } from "#domain/graph/friends.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { setVerified } from "#domain/profiles/settings.ts";
import { authorTimeline, profileVisibilitiesFor } from "#domain/timelines.ts";
import { requirePermission, requireViewer } from "#app/auth/viewer.server.ts";
import { PostCard } from "#app/components/post-card.tsx";
import { ProfileHeader } from "#app/components/profile-header.tsx";
import { presentPostCard } from "#app/presenters/post-card.server.ts";
import { presentProfile } from "#app/presenters/profile.server.ts";
import { accountOrNotFound } from "#app/accounts.server.ts";
import { badRequest } from "#app/responses.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.profile.displayName} (@${data.profile.username}) · Perch` },
        { name: "description", content: `@${data.profile.username} on Perch` },
      ]
    : [];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const view = await accountOrNotFound(domain, viewerId, params.username ?? "");
  const page = pageRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!page.success) throw badRequest(page.error);
  const posts =
    view.access.level === "full"
      ? await authorTimeline(
          domain,
          viewerId,
          view.account.id,
          profileVisibilitiesFor(viewerId, view.account.id, view.relationship),
          page.data,
        )
      : [];
  const cards = posts.map(presentPostCard);
  return {
    now: Date.now(),
    profile: presentProfile(view),
    isSelf: viewerId === view.account.id,
    canVerify: can(viewer?.user, "update:verified:any"),
    posts: cards,
    older: cards.length === page.data.limit ? cards.at(-1)?.id : undefined,
  };
}

const muteDuration = z.coerce
  .number()
  .int()
  .min(0)
  .max(365 * 24 * 3600)
  .catch(0);

/** Every button on a profile is a form posting here; the domain decides what each may do. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { domain } = context.scope;
  const me = viewer.user.id;
  const { account } = await accountOrNotFound(domain, me, params.username ?? "");
  const form = await request.formData();
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
      requirePermission(context, request, "update:verified:any");
      await setVerified(domain, them, form.get("intent") === "verify");
      return null;
    default:
      throw new Response("Unknown action", { status: 400 });
  }
}

export default function Profile() {
  const { now, profile, isSelf, canVerify, posts, older } = useLoaderData<typeof loader>();
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
      {profile.access.level === "full" && (
        <section aria-label={`Posts by @${profile.username}`} className="border-t border-line">
          {posts.length === 0 && <p className="px-4 py-8 text-center text-muted">No posts yet.</p>}
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
          {older && (
            <nav aria-label="Older posts" className="border-b border-line">
              <Link to={`?max_id=${older}`} className="block px-4 py-4 text-center font-semibold text-accent hover:bg-raised">
                Older posts
              </Link>
            </nav>
          )}
        </section>
      )}
    </>
  );
}
