import { and, eq, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql } from "drizzle-orm";
import { highlightItems, storyItems, storySettings } from "#db/schema/index.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { commit } from "../events/outbox.ts";
import { discardedStoryFiles } from "./items.ts";
import { storyLimits } from "./limits.ts";

/** Items handled per run; a backlog is worked off over the following runs. */
const ITEMS_PER_RUN = 500;

const inAnyHighlight = sql<number>`exists (select 1 from ${highlightItems} where ${highlightItems.itemId} = ${storyItems.id})`;
const keptInHighlights = { itemId: highlightItems.itemId };

/**
 * The stories job (hourly cron): takes down items past their 24 hours, keeping the files of those the author's
 * archive or a highlight keeps and removing the others' files in the background (story.files_discarded); releases
 * the files of expired items nothing keeps any longer (taken out of highlights, archive turned off); and deletes the
 * rows of unkept items once their viewers' 48 hours are over. Readers never wait for it: reads check the time.
 */
export async function expireStories(ctx: DomainContext, now = Date.now()) {
  const at = new Date(now);
  const due = await ctx.db
    .select({
      id: storyItems.id,
      key: storyItems.key,
      previewKey: storyItems.previewKey,
      archive: sql<number>`coalesce((select ${storySettings.archive} from ${storySettings} where ${storySettings.userId} = ${storyItems.authorId}), 1)`,
      highlighted: inAnyHighlight,
    })
    .from(storyItems)
    .where(and(lte(storyItems.expiresAt, at), isNull(storyItems.expiredAt)))
    .limit(ITEMS_PER_RUN);
  const unkeptNow = due.filter((item) => !item.archive && !item.highlighted);
  const released = await ctx.db
    .select({ id: storyItems.id, key: storyItems.key, previewKey: storyItems.previewKey })
    .from(storyItems)
    .where(
      and(
        isNotNull(storyItems.expiredAt),
        eq(storyItems.filesKept, true),
        eq(storyItems.archived, false),
        notInArray(storyItems.id, ctx.db.select(keptInHighlights).from(highlightItems)),
      ),
    )
    .limit(ITEMS_PER_RUN);
  const purgeWhere = and(
    lt(storyItems.expiredAt, new Date(now - storyLimits.viewersAfterExpiryMs)),
    eq(storyItems.archived, false),
    eq(storyItems.filesKept, false),
    notInArray(storyItems.id, ctx.db.select(keptInHighlights).from(highlightItems)),
  );
  const statements = [
    ...byIds(
      due.filter((item) => item.archive),
      (ids) => ctx.db.update(storyItems).set({ expiredAt: at, archived: true }).where(inArray(storyItems.id, ids)),
    ),
    ...byIds(
      due.filter((item) => !item.archive && item.highlighted),
      (ids) => ctx.db.update(storyItems).set({ expiredAt: at }).where(inArray(storyItems.id, ids)),
    ),
    ...byIds([...unkeptNow, ...released], (ids) =>
      ctx.db
        .update(storyItems)
        .set({ expiredAt: sql`coalesce(${storyItems.expiredAt}, ${now})`, filesKept: false })
        .where(inArray(storyItems.id, ids)),
    ),
    ctx.db.delete(storyItems).where(purgeWhere).returning({ id: storyItems.id }),
  ];
  const results = await commit(
    ctx,
    statements as unknown as Parameters<typeof commit>[1],
    discardedStoryFiles([...unkeptNow, ...released]),
  );
  const purged = (results.at(-1) as { id: string }[] | undefined)?.length ?? 0;
  return { storiesExpired: due.length, storyFilesReleased: unkeptNow.length + released.length, storiesPurged: purged };
}

function byIds<T>(items: { id: string }[], statement: (ids: string[]) => T): T[] {
  return chunks(
    items.map((item) => item.id),
    90,
  ).map(statement);
}

/**
 * The story.files_discarded handler: deletes the files from R2 unless an item still keeps them (a re-share showing
 * the same files). Running it twice deletes nothing more.
 */
export async function removeStoryFiles(ctx: DomainContext, keys: string[]): Promise<void> {
  const inUse = new Set<string>();
  for (const chunk of chunks(keys, 45)) {
    const rows = await ctx.db
      .select({ key: storyItems.key, previewKey: storyItems.previewKey })
      .from(storyItems)
      .where(and(eq(storyItems.filesKept, true), or(inArray(storyItems.key, chunk), inArray(storyItems.previewKey, chunk))));
    for (const row of rows) [row.key, row.previewKey].forEach((key) => key && inUse.add(key));
  }
  const unused = keys.filter((key) => !inUse.has(key));
  for (const chunk of chunks(unused, 1000)) await ctx.env.MEDIA.delete(chunk);
}
