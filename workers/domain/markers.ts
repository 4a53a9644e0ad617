import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { isId, normaliseId } from "#db/ids.ts";
import { markers, markerTimelines } from "#db/schema/index.ts";
import type { DomainContext } from "./context.ts";

export type MarkerTimeline = (typeof markerTimelines)[number];
export type Marker = typeof markers.$inferSelect;

const position = z.object({
  last_read_id: z.string().refine(isId, { message: "last_read_id must be a numeric id" }).transform(normaliseId),
});

/** A save: a new position for either timeline or both, as Mastodon's POST /api/v1/markers takes it. */
export const markerSaveSchema = z
  .object({ home: position.optional(), notifications: position.optional() })
  .refine((save) => save.home || save.notifications, { message: "Send home[last_read_id] or notifications[last_read_id]" });

/** The person's saved positions in the timelines asked for (those never saved are absent). */
export async function readMarkers(ctx: DomainContext, userId: string, timelines: readonly MarkerTimeline[]): Promise<Marker[]> {
  if (timelines.length === 0) return [];
  return ctx.db
    .select()
    .from(markers)
    .where(and(eq(markers.userId, userId), inArray(markers.timeline, [...timelines])));
}

/** Saves the positions sent (checked here: nothing sent is a ZodError), each one version newer, and returns them. */
export async function saveMarkers(ctx: DomainContext, userId: string, input: z.input<typeof markerSaveSchema>): Promise<Marker[]> {
  const save = markerSaveSchema.parse(input);
  const now = new Date();
  const saved = markerTimelines.flatMap((timeline) => {
    const sent = save[timeline];
    return sent ? [{ userId, timeline, lastReadId: sent.last_read_id, version: 0, updatedAt: now }] : [];
  });
  const [first, ...rest] = saved.map((row) =>
    ctx.db
      .insert(markers)
      .values(row)
      .onConflictDoUpdate({
        target: [markers.userId, markers.timeline],
        set: { lastReadId: row.lastReadId, updatedAt: now, version: sql`${markers.version} + 1` },
      })
      .returning(),
  );
  const results = await ctx.db.batch([first!, ...rest]);
  return results.flat();
}

/**
 * Moves a person's position in a timeline forward to an item they were shown (the newest post of a page of their home),
 * never back: paging through older posts, or an older page loading late, leaves the position where it is.
 */
export async function advanceMarker(ctx: DomainContext, userId: string, timeline: MarkerTimeline, shownId: string): Promise<void> {
  const lastReadId = normaliseId(shownId);
  const now = new Date();
  await ctx.db
    .insert(markers)
    .values({ userId, timeline, lastReadId, version: 0, updatedAt: now })
    .onConflictDoUpdate({
      target: [markers.userId, markers.timeline],
      set: { lastReadId, updatedAt: now, version: sql`${markers.version} + 1` },
      setWhere: sql`${markers.lastReadId} < ${lastReadId}`,
    });
}
