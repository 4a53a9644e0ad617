import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { mediaAttachments, momentItems, moments, momentVisibilities, posts } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { showPosts, type ShownPost } from "../posts/hydrate.ts";
import { viewPost } from "../posts/thread.ts";
import { viewAccount, type AccountView } from "../profiles/access.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type Moment = typeof moments.$inferSelect;

export const momentLimits = { title: 100, description: 500, items: 100, perOwner: 200 } as const;

export const momentInputSchema = z.object({
  title: z.string().trim().min(1, "Give the moment a title").max(momentLimits.title, `Titles are at most ${momentLimits.title} characters`),
  description: z
    .string()
    .trim()
    .max(momentLimits.description, `Descriptions are at most ${momentLimits.description} characters`)
    .default(""),
  visibility: z.enum(momentVisibilities).default("public"),
  /** An attachment of one of the moment's posts; null for none (the first picture among its posts is shown). */
  coverMediaId: z.string().max(64).nullable().optional(),
});

export type MomentInput = z.input<typeof momentInputSchema>;

/** The acting user: only a signed-in person gathers moments, and only their own. */
function actorId(ctx: DomainContext): string {
  if (!ctx.actor) throw new DomainError("unauthenticated", "Sign in first");
  return ctx.actor.id;
}

async function ownMoment(ctx: DomainContext, momentId: string): Promise<Moment> {
  const owner = actorId(ctx);
  const [moment] = await ctx.db
    .select()
    .from(moments)
    .where(and(eq(moments.id, momentId), eq(moments.ownerId, owner)));
  // Someone else's moment is "not found" to a would-be editor, as a post is.
  if (!moment) throw new DomainError("not_found", "Record not found");
  return moment;
}

/** A cover must be a picture of one of the moment's posts. */
async function checkCover(ctx: DomainContext, momentId: string, coverMediaId: string | null | undefined): Promise<void> {
  if (!coverMediaId) return;
  const [found] = await ctx.db
    .select({ id: mediaAttachments.id })
    .from(mediaAttachments)
    .innerJoin(momentItems, and(eq(momentItems.postId, mediaAttachments.postId), eq(momentItems.momentId, momentId)))
    .where(and(eq(mediaAttachments.id, coverMediaId), eq(mediaAttachments.type, "image")));
  if (!found) {
    throw new DomainError("unprocessable", "The cover must be a picture from one of the moment's posts", {
      fields: { coverMediaId: "Choose a picture from one of the moment's posts" },
    });
  }
}

export async function createMoment(ctx: DomainContext, input: MomentInput): Promise<Moment> {
  assertNotSuspended(ctx);
  const owner = actorId(ctx);
  const data = momentInputSchema.parse(input);
  if (data.coverMediaId)
    throw new DomainError("unprocessable", "Add posts before choosing a cover", { fields: { coverMediaId: "Add posts first" } });
  const [held] = await ctx.db
    .select({ count: sql<number>`count(*)` })
    .from(moments)
    .where(eq(moments.ownerId, owner));
  if ((held?.count ?? 0) >= momentLimits.perOwner)
    throw new DomainError("unprocessable", `You can have at most ${momentLimits.perOwner} moments`);
  const now = new Date();
  const [moment] = await ctx.db
    .insert(moments)
    .values({
      id: newId(now.getTime()),
      ownerId: owner,
      title: data.title,
      description: data.description,
      visibility: data.visibility,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return moment!;
}

export async function updateMoment(ctx: DomainContext, momentId: string, input: Partial<MomentInput>): Promise<Moment> {
  assertNotSuspended(ctx);
  const moment = await ownMoment(ctx, momentId);
  const data = momentInputSchema.partial().parse(input);
  await checkCover(ctx, moment.id, data.coverMediaId);
  const changes = Object.fromEntries(Object.entries(data).filter(([key]) => key in input));
  const [updated] = await ctx.db
    .update(moments)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(moments.id, moment.id))
    .returning();
  return updated!;
}

export async function deleteMoment(ctx: DomainContext, momentId: string): Promise<void> {
  const moment = await ownMoment(ctx, momentId);
  await ctx.db.delete(moments).where(eq(moments.id, moment.id));
}

/**
 * Adds a post the owner may see (their own or anyone's) at the end, or at `position` (0 first); adding one already in
 * it moves it there.
 */
export async function addToMoment(ctx: DomainContext, momentId: string, postId: string, position?: number): Promise<void> {
  assertNotSuspended(ctx);
  const moment = await ownMoment(ctx, momentId);
  const view = await viewPost(ctx, moment.ownerId, postId);
  if (view.post.reblogOfId) throw new DomainError("unprocessable", "Add the original post, not a repost");
  const order = await itemOrder(ctx, moment.id);
  const rest = order.filter((id) => id !== view.post.id);
  if (rest.length >= momentLimits.items) throw new DomainError("unprocessable", `A moment holds at most ${momentLimits.items} posts`);
  const at = position === undefined ? rest.length : Math.max(0, Math.min(position, rest.length));
  await writeOrder(ctx, moment.id, [...rest.slice(0, at), view.post.id, ...rest.slice(at)], view.post.id);
}

export async function removeFromMoment(ctx: DomainContext, momentId: string, postId: string): Promise<void> {
  const moment = await ownMoment(ctx, momentId);
  await ctx.db.delete(momentItems).where(and(eq(momentItems.momentId, moment.id), eq(momentItems.postId, postId)));
  await ctx.db.update(moments).set({ updatedAt: new Date() }).where(eq(moments.id, moment.id));
}

/** Moves a post of the moment one place up or down. */
export async function moveInMoment(ctx: DomainContext, momentId: string, postId: string, direction: "up" | "down"): Promise<void> {
  assertNotSuspended(ctx);
  const moment = await ownMoment(ctx, momentId);
  const order = await itemOrder(ctx, moment.id);
  const at = order.indexOf(postId);
  if (at < 0) throw new DomainError("not_found", "That post is not in this moment");
  const to = direction === "up" ? at - 1 : at + 1;
  if (to < 0 || to >= order.length) return;
  [order[at], order[to]] = [order[to]!, order[at]!];
  await writeOrder(ctx, moment.id, order);
}

async function itemOrder(ctx: DomainContext, momentId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ postId: momentItems.postId })
    .from(momentItems)
    .where(eq(momentItems.momentId, momentId))
    .orderBy(asc(momentItems.position), asc(momentItems.addedAt));
  return rows.map((row) => row.postId);
}

/** Rewrites every position in one batch (at most 100 rows), adding `added` when it is new. */
async function writeOrder(ctx: DomainContext, momentId: string, order: string[], added?: string): Promise<void> {
  const now = new Date();
  const statements = order.map((postId, position) =>
    postId === added
      ? ctx.db
          .insert(momentItems)
          .values({ momentId, postId, position, addedAt: now })
          .onConflictDoUpdate({ target: [momentItems.momentId, momentItems.postId], set: { position } })
      : ctx.db
          .update(momentItems)
          .set({ position })
          .where(and(eq(momentItems.momentId, momentId), eq(momentItems.postId, postId))),
  );
  await ctx.db.batch([ctx.db.update(moments).set({ updatedAt: now }).where(eq(moments.id, momentId)), ...statements]);
}

export interface MomentView {
  moment: Moment;
  owner: AccountView;
  /** The posts the viewer may see, in the owner's order: each checked for this viewer. */
  items: ShownPost[];
  /** The cover if its post is visible to the viewer, else the first picture among the visible posts. */
  cover: { url: string; description: string } | null;
}

/**
 * A moment as the viewer may see it. Public and unlisted moments open for anyone who may see the owner's profile
 * (unlisted ones are only left out of the profile's list); every post is checked again for this viewer.
 */
export async function viewMoment(ctx: DomainContext, viewerId: string | null, momentId: string): Promise<MomentView> {
  const [moment] = await ctx.db.select().from(moments).where(eq(moments.id, momentId));
  if (!moment) throw new DomainError("not_found", "Record not found");
  const owner = await viewAccount(ctx, viewerId, { id: moment.ownerId });
  if (owner.access.level !== "full" && viewerId !== moment.ownerId) throw new DomainError("not_found", "Record not found");
  const order = await itemOrder(ctx, moment.id);
  const rows =
    order.length > 0
      ? await ctx.db
          .select()
          .from(posts)
          .where(inArray(posts.id, inIds(order)))
      : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items = await showPosts(
    ctx,
    viewerId,
    order.flatMap((id) => byId.get(id) ?? []),
  );
  const pictures = items.flatMap((item) => item.media.filter((media) => media.type === "image"));
  const chosen = pictures.find((media) => media.id === moment.coverMediaId) ?? pictures[0] ?? null;
  return { moment, owner, items, cover: chosen ? { url: `/media/${chosen.key}`, description: chosen.description } : null };
}

/** The moments a profile lists: all of one's own, only public ones of anyone else's (and none when the profile is closed). */
export async function momentsOf(
  ctx: DomainContext,
  viewerId: string | null,
  ownerId: string,
): Promise<{ owner: AccountView; moments: Moment[] }> {
  const owner = await viewAccount(ctx, viewerId, { id: ownerId });
  const own = viewerId === ownerId;
  if (!own && owner.access.level !== "full") return { owner, moments: [] };
  const found = await ctx.db
    .select()
    .from(moments)
    .where(and(eq(moments.ownerId, ownerId), own ? undefined : eq(moments.visibility, "public")))
    .orderBy(desc(moments.id))
    .limit(momentLimits.perOwner);
  return { owner, moments: found };
}
