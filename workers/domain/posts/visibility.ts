import { known, mapRead, runBatch, type BatchRead, type Ids } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { relationshipsRead, type Relationship } from "../graph/relationships.ts";
import { profileAccess } from "../profiles/access.ts";
import type { PublicUser } from "../profiles/profile.ts";
import type { PostView } from "./posts.ts";

/**
 * Who may see a post. This is the one place the rule lives; every door (pages, API, timelines, notifications, quotes,
 * reposts) filters through it.
 * - The author always may; nobody else may see a post moderation holds for review or removed, or any post of a
 *   suspended account; only followers see the posts of a limited account.
 * - Nobody else may when either blocks the other, or when the author's profile is closed to the viewer.
 * - public and unlisted: anyone else; private (followers only): followers; friends: friends; direct: nobody else.
 *   The people a post mentions may always see it, as on Mastodon.
 */
export function canSeePost(
  viewerId: string | null,
  view: Pick<PostView, "post" | "mentions"> & { author: PublicUser },
  relationship: Relationship | null,
): boolean {
  const { post, author, mentions } = view;
  if (viewerId === post.authorId) return true;
  // Held for review or removed by moderation: its author alone still sees it (moderators review it in /admin).
  if (post.moderationState) return false;
  // A suspended account's posts are gone for everyone else; a limited one's reach only its followers (ADR 0041).
  if (author.moderationStatus === "suspended") return false;
  if (author.moderationStatus === "limited" && !relationship?.following) return false;
  if (relationship?.blocking || relationship?.blockedBy) return false;
  const mentioned = viewerId !== null && mentions.some((user) => user.id === viewerId);
  if (mentioned) return true;
  if (profileAccess(viewerId, author, relationship).level !== "full") return false;
  switch (post.visibility) {
    case "public":
    case "unlisted":
      return true;
    case "private":
      return Boolean(relationship?.following);
    case "friends":
      return Boolean(relationship?.friends);
    case "direct":
      return false;
  }
}

/** The posts a viewer may see, in their order, with the viewer's relationships to their authors read in one batch. */
export async function visibleTo(ctx: DomainContext, viewerId: string | null, views: PostView[]): Promise<PostView[]> {
  const authorIds = [...new Set(views.map((view) => view.post.authorId))].filter((id) => id !== viewerId);
  const [authors] = await runBatch(ctx, visibilityRead(ctx, viewerId, authorIds));
  return authors.visible(views);
}

/** What a batch learns about the authors of the posts it shows, for the viewer. */
export interface AuthorsSeen {
  /** Keeps, in order, the posts among them the viewer may see. */
  visible: (views: PostView[]) => PostView[];
  /** Whether the viewer mutes the author now (a muted author's posts are visible, but most lists leave them out). */
  muted: (authorId: string) => boolean;
}

/**
 * What canSeePost needs to know about the authors `authorIds` lists or selects, as a read for a batch (nothing to read
 * for visitors).
 */
export function visibilityRead(ctx: DomainContext, viewerId: string | null, authorIds: Ids): BatchRead<AuthorsSeen> {
  const relationships: BatchRead<(id: string) => Relationship | null> = viewerId
    ? relationshipsRead(ctx, viewerId, authorIds)
    : known(() => null);
  return mapRead(relationships, (relationshipOf) => ({
    visible: (views) => views.filter((view) => canSeePost(viewerId, view, relationshipOf(view.post.authorId))),
    muted: (authorId) => relationshipOf(authorId)?.muting ?? false,
  }));
}
