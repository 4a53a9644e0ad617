import { and, eq, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { followedTags, tags } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { isHashtagName } from "../rich-text.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export interface TagView {
  /** As first written (#SwiftUI); the one asked for when nobody has used the tag yet. */
  name: string;
  /** Whether the viewer follows it (false for visitors). */
  following: boolean;
}

/** A hashtag as posts write it: what `#name` in a post would make a hashtag of, whole. */
function checkedName(name: string): string {
  const bare = name.replace(/^#/, "");
  if (!isHashtagName(bare)) throw new DomainError("not_found", "No such hashtag");
  return bare;
}

async function tagNamed(ctx: DomainContext, name: string) {
  const [tag] = await ctx.db
    .select()
    .from(tags)
    .where(sql`lower(${tags.name}) = lower(${name})`);
  return tag;
}

/** A hashtag and whether the viewer follows it. */
export async function viewTag(ctx: DomainContext, viewerId: string | null, name: string): Promise<TagView> {
  const wanted = checkedName(name);
  const tag = await tagNamed(ctx, wanted);
  if (!tag) return { name: wanted, following: false };
  if (!viewerId) return { name: tag.name, following: false };
  const [follow] = await ctx.db
    .select({ id: followedTags.id })
    .from(followedTags)
    .where(and(eq(followedTags.userId, viewerId), eq(followedTags.tagId, tag.id)));
  return { name: tag.name, following: Boolean(follow) };
}

/**
 * Follows or unfollows a hashtag (making it when no post has used it yet, as Mastodon does). From then on public posts
 * with it come into the follower's Following feed as they are posted; nothing is back-filled.
 */
export async function setTagFollowed(ctx: DomainContext, userId: string, name: string, on: boolean): Promise<TagView> {
  if (on) assertNotSuspended(ctx);
  const wanted = checkedName(name);
  const now = new Date();
  await ctx.db
    .insert(tags)
    .values({ id: newId(now.getTime()), name: wanted, createdAt: now })
    .onConflictDoNothing();
  const tag = (await tagNamed(ctx, wanted))!;
  if (on) await ctx.db.insert(followedTags).values({ userId, tagId: tag.id, createdAt: now }).onConflictDoNothing();
  else await ctx.db.delete(followedTags).where(and(eq(followedTags.userId, userId), eq(followedTags.tagId, tag.id)));
  return { name: tag.name, following: on };
}

/** The hashtags a person follows, most recently followed first, paged by the follows' ids. */
export async function followedTagsOf(ctx: DomainContext, userId: string, page: PageRequest): Promise<Page<TagView>> {
  const bounds = pageBounds(followedTags.id, page);
  const rows = newestFirst(
    await ctx.db
      .select({ id: followedTags.id, name: tags.name })
      .from(followedTags)
      .innerJoin(tags, eq(tags.id, followedTags.tagId))
      .where(and(eq(followedTags.userId, userId), bounds.where))
      .orderBy(bounds.orderBy)
      .limit(page.limit),
    bounds.ascending,
  );
  return pageOf(
    rows.map(({ name }) => ({ name, following: true })),
    rows.map(({ id }) => id),
    page,
  );
}
