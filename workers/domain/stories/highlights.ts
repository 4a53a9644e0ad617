import { and, asc, count, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { highlightItems, highlights, storyItems } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { viewAccount } from "../profiles/access.ts";
import { canSeeStoryItem, storyStanding, type StoryItem } from "./audience.ts";
import { showItems, type StoryItemView } from "./items.ts";
import { highlightTitleSchema, storyLimits } from "./limits.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type Highlight = typeof highlights.$inferSelect;

export interface HighlightView {
  highlight: Highlight;
  cover: StoryItem | null;
  itemCount: number;
}

/**
 * The items a highlight may hold: the owner's own, with their files still kept (live, or archived), in the order
 * given; anything else is refused.
 */
async function keepableItems(ctx: DomainContext, ownerId: string, itemIds: string[]): Promise<string[]> {
  const unique = [...new Set(itemIds)];
  if (unique.length > storyLimits.itemsPerHighlight) {
    throw new DomainError("unprocessable", `A highlight holds at most ${storyLimits.itemsPerHighlight} items`);
  }
  if (unique.length === 0) return [];
  const rows = await ctx.db
    .select({ id: storyItems.id })
    .from(storyItems)
    .where(and(inArray(storyItems.id, unique), eq(storyItems.authorId, ownerId), eq(storyItems.filesKept, true)));
  if (rows.length !== unique.length)
    throw new DomainError("unprocessable", "Only your own stories, live or in your archive, can be kept in a highlight");
  return unique;
}

const itemRows = (ctx: DomainContext, highlightId: string, itemIds: string[]) =>
  itemIds.length ? [ctx.db.insert(highlightItems).values(itemIds.map((itemId, position) => ({ highlightId, itemId, position })))] : [];

/** A new highlight on your profile, with the items given (at least one), the first its cover unless you choose. */
export async function createHighlight(
  ctx: DomainContext,
  ownerId: string,
  input: { title: string; itemIds: string[]; coverItemId?: string },
): Promise<Highlight> {
  assertNotSuspended(ctx);
  const title = highlightTitleSchema.parse(input.title);
  const itemIds = await keepableItems(ctx, ownerId, input.itemIds);
  if (itemIds.length === 0) throw new DomainError("unprocessable", "Choose at least one story for the highlight");
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(highlights).where(eq(highlights.ownerId, ownerId));
  if (total >= storyLimits.highlightsPerAccount)
    throw new DomainError("unprocessable", `At most ${storyLimits.highlightsPerAccount} highlights`);
  const coverItemId = input.coverItemId && itemIds.includes(input.coverItemId) ? input.coverItemId : itemIds[0]!;
  const id = newId();
  const [[row]] = await ctx.db.batch([
    ctx.db.insert(highlights).values({ id, ownerId, title, coverItemId, position: total, createdAt: new Date() }).returning(),
    ...itemRows(ctx, id, itemIds),
  ]);
  return row!;
}

async function ownHighlight(ctx: DomainContext, ownerId: string, id: string): Promise<Highlight> {
  const row = await ctx.db.query.highlights.findFirst({ where: and(eq(highlights.id, id), eq(highlights.ownerId, ownerId)) });
  if (!row) throw new DomainError("not_found", "Record not found");
  return row;
}

/**
 * Changes a highlight: its name, its cover, its place among your highlights, or its items (the list given replaces
 * them, in its order: adding, removing and reordering at once). An item taken out that nothing else keeps loses its
 * files within the hour (expireStories).
 */
export async function updateHighlight(
  ctx: DomainContext,
  ownerId: string,
  id: string,
  changes: { title?: string; coverItemId?: string; itemIds?: string[]; position?: number },
): Promise<Highlight> {
  assertNotSuspended(ctx);
  const current = await ownHighlight(ctx, ownerId, id);
  const title = changes.title === undefined ? current.title : highlightTitleSchema.parse(changes.title);
  const itemIds = changes.itemIds === undefined ? undefined : await keepableItems(ctx, ownerId, changes.itemIds);
  if (itemIds?.length === 0) throw new DomainError("unprocessable", "A highlight keeps at least one story; delete it instead");
  const members = itemIds ?? (await highlightItemIds(ctx, id));
  const coverItemId = changes.coverItemId ?? current.coverItemId;
  const cover = coverItemId && members.includes(coverItemId) ? coverItemId : (members[0] ?? null);
  const position = changes.position === undefined ? current.position : Math.max(0, Math.trunc(changes.position));
  const [[row]] = await ctx.db.batch([
    ctx.db.update(highlights).set({ title, coverItemId: cover, position }).where(eq(highlights.id, id)).returning(),
    ...(itemIds ? [ctx.db.delete(highlightItems).where(eq(highlightItems.highlightId, id)), ...itemRows(ctx, id, itemIds)] : []),
  ]);
  return row!;
}

/** Adds one item to the end of a highlight (from the archive, or a live one); already there changes nothing. */
export async function addToHighlight(ctx: DomainContext, ownerId: string, id: string, itemId: string): Promise<Highlight> {
  assertNotSuspended(ctx);
  await ownHighlight(ctx, ownerId, id);
  const current = await highlightItemIds(ctx, id);
  return current.includes(itemId) ? ownHighlight(ctx, ownerId, id) : updateHighlight(ctx, ownerId, id, { itemIds: [...current, itemId] });
}

export async function deleteHighlight(ctx: DomainContext, ownerId: string, id: string): Promise<void> {
  await ownHighlight(ctx, ownerId, id);
  await ctx.db.delete(highlights).where(eq(highlights.id, id));
}

async function highlightItemIds(ctx: DomainContext, id: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ itemId: highlightItems.itemId })
    .from(highlightItems)
    .where(eq(highlightItems.highlightId, id))
    .orderBy(asc(highlightItems.position));
  return rows.map((row) => row.itemId);
}

/**
 * An account's highlights as the viewer may see them: those of a profile they may see in full, each with its cover
 * and how many of its items the viewer may see (a highlight of close-friends items only shows to close friends).
 */
export async function highlightsOf(
  ctx: DomainContext,
  viewerId: string | null,
  account: { id: string } | { username: string },
): Promise<HighlightView[]> {
  const { account: owner, access } = await viewAccount(ctx, viewerId, account);
  if (access.level !== "full") return [];
  const standing = await storyStanding(ctx, viewerId, owner);
  if (standing.blocked || standing.hidden) return [];
  const rows = await ctx.db
    .select({ highlight: highlights, item: storyItems })
    .from(highlights)
    .innerJoin(highlightItems, eq(highlightItems.highlightId, highlights.id))
    .innerJoin(storyItems, eq(storyItems.id, highlightItems.itemId))
    .where(eq(highlights.ownerId, owner.id))
    .orderBy(asc(highlights.position), desc(highlights.id), asc(highlightItems.position));
  const views = new Map<string, HighlightView>();
  for (const { highlight, item } of rows) {
    if (!canSeeStoryItem(standing, item)) continue;
    const view = views.get(highlight.id) ?? { highlight, cover: null, itemCount: 0 };
    view.itemCount += 1;
    if (!view.cover || item.id === highlight.coverItemId) view.cover = item;
    views.set(highlight.id, view);
  }
  return [...views.values()];
}

/** One highlight's items the viewer may see, in its order; one they may see nothing of is not found. */
export async function highlightItemsFor(
  ctx: DomainContext,
  viewerId: string | null,
  highlightId: string,
): Promise<{ highlight: Highlight; items: StoryItemView[] }> {
  const highlight = await ctx.db.query.highlights.findFirst({ where: eq(highlights.id, highlightId) });
  if (!highlight) throw new DomainError("not_found", "Record not found");
  const { account: owner, access } = await viewAccount(ctx, viewerId, { id: highlight.ownerId });
  const standing = await storyStanding(ctx, viewerId, owner);
  const rows = await ctx.db
    .select({ item: storyItems })
    .from(highlightItems)
    .innerJoin(storyItems, eq(storyItems.id, highlightItems.itemId))
    .where(eq(highlightItems.highlightId, highlightId))
    .orderBy(asc(highlightItems.position));
  const visible = access.level === "full" ? rows.map((row) => row.item).filter((item) => canSeeStoryItem(standing, item)) : [];
  if (visible.length === 0) throw new DomainError("not_found", "Record not found");
  return { highlight, items: await showItems(ctx, standing, owner, visible) };
}

/** Your archive: your expired items whose files are kept (archived or in a highlight), newest first. */
export async function storyArchive(ctx: DomainContext, ownerId: string, limit = 200): Promise<StoryItem[]> {
  return ctx.db
    .select()
    .from(storyItems)
    .where(
      and(
        eq(storyItems.authorId, ownerId),
        isNotNull(storyItems.expiredAt),
        eq(storyItems.filesKept, true),
        or(eq(storyItems.archived, true), inArray(storyItems.id, ctx.db.select({ id: highlightItems.itemId }).from(highlightItems))),
      ),
    )
    .orderBy(desc(storyItems.createdAt))
    .limit(limit);
}

/** Your highlights, with their items' ids in order, for managing them. */
export async function ownHighlights(ctx: DomainContext, ownerId: string) {
  const rows = await ctx.db
    .select()
    .from(highlights)
    .where(eq(highlights.ownerId, ownerId))
    .orderBy(asc(highlights.position), desc(highlights.id));
  return Promise.all(rows.map(async (highlight) => ({ highlight, itemIds: await highlightItemIds(ctx, highlight.id) })));
}
