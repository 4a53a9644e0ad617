import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { analyticsDaily, posts } from "#db/schema/index.ts";
import { newId } from "#db/ids.ts";
import { inIds } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import type { EventPayload } from "../events/catalogue.ts";
import { estimate, registerOf, sketchOf } from "./sketch.ts";

/** The UTC day of a moment, as analytics rows name it. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Posts one view event carries at most: a page of a timeline. */
export const MAX_VIEWED_POSTS = 100;

/**
 * A viewer as analytics sees them: a keyed hash of who they are (their account, or a visitor's address and browser)
 * and the day. Nothing in a queue message or a row names a viewer, and the same person is a different hash tomorrow.
 */
async function viewerHash(ctx: DomainContext, who: string, day: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`analytics-viewers:${ctx.config.SESSION_SECRET}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${day}:${who}`)));
  return [...mac.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Who is looking: a signed-in viewer's id, or a visitor's address and browser (hashed before anything leaves). */
export interface Looker {
  viewerId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Notes that a viewer was shown these posts (a timeline page, a post page) and maybe a profile. It writes nothing and
 * costs the request one HMAC: a `views.seen` event goes to the relay (after the response, in waitUntil) without an
 * outbox row, since there is no change to keep it with; a view lost to a failed send is an impression not counted.
 * The viewer's own posts and profile are left out.
 */
export async function noteViews(
  ctx: DomainContext,
  looker: Looker,
  seen: { posts: { id: string; authorId: string }[]; profileId?: string | null },
  at = new Date(),
): Promise<void> {
  const postIds = [...new Set(seen.posts.filter((post) => post.authorId !== looker.viewerId).map((post) => post.id))].slice(
    0,
    MAX_VIEWED_POSTS,
  );
  const profileId = seen.profileId && seen.profileId !== looker.viewerId ? seen.profileId : null;
  if (postIds.length === 0 && !profileId) return;
  const day = dayOf(at);
  const who = looker.viewerId ? `user:${looker.viewerId}` : `visitor:${looker.ip ?? ""}|${looker.userAgent ?? ""}`;
  ctx.afterCommit([
    {
      id: newId(at.getTime()),
      type: "views.seen",
      payload: { viewerHash: await viewerHash(ctx, who, day), day, postIds, profileId },
      occurredAt: at,
    },
  ]);
}

/** One subject's day: its sketch gains the viewer, in one statement, so concurrent handlers never lose a view. */
function addViewer(ctx: DomainContext, subject: { kind: "post" | "profile"; id: string; ownerId: string }, day: string, hash: string) {
  const { index, rank } = registerOf(hash);
  const path = `$[${index}]`;
  return ctx.db
    .insert(analyticsDaily)
    .values({ subjectKind: subject.kind, subjectId: subject.id, ownerId: subject.ownerId, day, registers: sketchOf(hash) })
    .onConflictDoUpdate({
      target: [analyticsDaily.subjectKind, analyticsDaily.subjectId, analyticsDaily.day],
      set: {
        registers: sql`json_set(${analyticsDaily.registers}, ${path}, max(json_extract(${analyticsDaily.registers}, ${path}), ${rank}))`,
      },
      // A day already folded keeps its count: a view arriving that late is not counted.
      where: isNotNull(analyticsDaily.registers),
    });
}

/**
 * The `views.seen` handler: adds the viewer to each post's and the profile's sketch for the day. Idempotent by
 * nature: adding the same viewer again changes no register.
 */
export async function countViews(ctx: DomainContext, payload: EventPayload<"views.seen">): Promise<void> {
  const authors = payload.postIds.length
    ? await ctx.db
        .select({ id: posts.id, authorId: posts.authorId })
        .from(posts)
        .where(inArray(posts.id, inIds(payload.postIds)))
    : [];
  const statements = [
    ...authors.map((post) => addViewer(ctx, { kind: "post", id: post.id, ownerId: post.authorId }, payload.day, payload.viewerHash)),
    ...(payload.profileId
      ? [addViewer(ctx, { kind: "profile", id: payload.profileId, ownerId: payload.profileId }, payload.day, payload.viewerHash)]
      : []),
  ];
  const [first, ...rest] = statements;
  if (first) await ctx.db.batch([first, ...rest]);
}

/** A day row's distinct viewers: its sketch's estimate while the day is open, its folded count after. */
export const viewersOf = (row: { registers: number[] | null; viewers: number }) => (row.registers ? estimate(row.registers) : row.viewers);

/** Days folded per run: enough for a day's worth of viewed posts on a small server; the rest wait an hour. */
const FOLD_LIMIT = 2000;

/**
 * Folds the sketches of days before today into plain counts and drops them (the hourly job): after its day nothing of
 * who viewed is kept, not even hashes.
 */
export async function foldPastDays(ctx: DomainContext, now = new Date()): Promise<number> {
  const rows = await ctx.db
    .select()
    .from(analyticsDaily)
    .where(and(isNotNull(analyticsDaily.registers), lt(analyticsDaily.day, dayOf(now))))
    .limit(FOLD_LIMIT);
  const updates = rows.map((row) =>
    ctx.db
      .update(analyticsDaily)
      .set({ viewers: viewersOf(row), registers: null })
      .where(
        and(eq(analyticsDaily.subjectKind, row.subjectKind), eq(analyticsDaily.subjectId, row.subjectId), eq(analyticsDaily.day, row.day)),
      ),
  );
  for (let start = 0; start < updates.length; start += 100) {
    const [first, ...rest] = updates.slice(start, start + 100);
    if (first) await ctx.db.batch([first, ...rest]);
  }
  return rows.length;
}
