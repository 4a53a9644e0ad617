import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z, ZodError } from "zod";
import { isUniqueConstraintError } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { drafts, mediaAttachments, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { actingAs, type DomainContext } from "../context.ts";
import { describeZodError, DomainError } from "../errors.ts";
import { attachableUploads, attachmentRefusal, type Attachment } from "../media/attachments.ts";
import { countCharacters } from "../rich-text.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { checkThread, createThread, newPostSchema, type NewPost, type Post, type Visibility } from "./posts.ts";

export type Draft = typeof drafts.$inferSelect;

/** A draft or scheduled post with the uploads it keeps, in order. */
export interface DraftView {
  draft: Draft;
  media: Attachment[];
}

/** Drafts have no time; scheduled posts have one (Mastodon's ScheduledStatus). */
export type DraftKind = "draft" | "scheduled";

/** Mastodon's rules for scheduled posts (ScheduledStatus::MINIMUM_OFFSET, TOTAL_LIMIT, DAILY_LIMIT). */
export const scheduleLimits = {
  minimumLeadMs: 5 * 60 * 1000,
  total: 300,
  /** Per UTC day of the time they are scheduled for. */
  perDay: 25,
} as const;

/** A publication holds its draft this long; a run that died is taken over after it (the minute job runs again). */
const CLAIM_MS = 2 * 60 * 1000;
/** Failures that are not the post's own (the database, a bug) are retried each minute for this long past its time. */
const RETRY_FOR_MS = 60 * 60 * 1000;
/** Scheduled posts published per run of the minute job; any more wait for the next minute. */
const DUE_PER_RUN = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a draft holds: a post as createThread takes it (one rule for what a post may be), and a thread's further posts. */
export const draftInputSchema = newPostSchema
  .pick({
    text: true,
    spoilerText: true,
    sensitive: true,
    language: true,
    visibility: true,
    inReplyToId: true,
    quoteOfId: true,
    quotePolicy: true,
    mediaIds: true,
    poll: true,
  })
  .extend({
    thread: z
      .array(z.string().trim())
      .max(24, "A thread holds at most 25 posts")
      .default([])
      .transform((texts) => texts.filter((text) => text !== "")),
  });

export type DraftInput = z.input<typeof draftInputSchema>;
type DraftData = z.output<typeof draftInputSchema>;

const kindIs = (kind: DraftKind): SQL => (kind === "scheduled" ? isNotNull(drafts.scheduledAt) : isNull(drafts.scheduledAt));
const claimable = (now: number) => or(isNull(drafts.claimedAt), lt(drafts.claimedAt, new Date(now - CLAIM_MS)));

/** One of the owner's drafts or scheduled posts (of the kind asked for) with its uploads; anyone else's is not found. */
export async function ownDraft(ctx: DomainContext, ownerId: string, id: string, kind?: DraftKind): Promise<DraftView> {
  const draft = await ctx.db.query.drafts.findFirst({
    where: and(eq(drafts.id, id), eq(drafts.authorId, ownerId), kind && kindIs(kind)),
  });
  if (!draft) throw new DomainError("not_found", "Record not found");
  const [view] = await withMedia(ctx, [draft]);
  return view!;
}

/** The owner's drafts or scheduled posts, newest first, as a page with Mastodon's cursors (by id). */
export async function draftsPage(ctx: DomainContext, ownerId: string, kind: DraftKind, request: PageRequest): Promise<Page<DraftView>> {
  const bounds = pageBounds(drafts.id, request);
  const rows = await ctx.db
    .select()
    .from(drafts)
    .where(and(eq(drafts.authorId, ownerId), kindIs(kind), bounds.where))
    .orderBy(bounds.orderBy)
    .limit(request.limit);
  const newest = newestFirst(rows, bounds.ascending);
  return pageOf(
    await withMedia(ctx, newest),
    newest.map((draft) => draft.id),
    request,
  );
}

/** How many of the owner's scheduled posts could not be published and went back to their drafts. */
export async function failedCount(ctx: DomainContext, ownerId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql<number>`count(*)` })
    .from(drafts)
    .where(and(eq(drafts.authorId, ownerId), isNotNull(drafts.failure)));
  return row?.count ?? 0;
}

async function withMedia(ctx: DomainContext, rows: Draft[]): Promise<DraftView[]> {
  if (rows.length === 0) return [];
  const media = await ctx.db
    .select()
    .from(mediaAttachments)
    .where(
      inArray(
        mediaAttachments.draftId,
        rows.map((draft) => draft.id),
      ),
    )
    .orderBy(asc(mediaAttachments.position));
  return rows.map((draft) => ({ draft, media: media.filter((attachment) => attachment.draftId === draft.id) }));
}

/**
 * Saves a draft as the acting user, new or in place of one of theirs (a scheduled one stops being scheduled): it
 * needs something in it, and its uploads must be theirs to attach; everything else is checked when it is scheduled or
 * published.
 */
export async function saveDraft(ctx: DomainContext, input: DraftInput, replacing?: { id: string; kind?: DraftKind }): Promise<DraftView> {
  const actor = assertCan(ctx, "create:post:own");
  const data = draftInputSchema.parse(input);
  if (data.text === "" && data.thread.length === 0 && data.mediaIds.length === 0 && !data.poll) {
    throw new DomainError("unprocessable", "This draft is empty: write something first", { fields: { text: "Write something first" } });
  }
  // Over the limit is fine in a draft, to be trimmed before it is published; past twice it is not a post in the making.
  const room = 2 * ctx.config.POST_MAX_CHARACTERS;
  if ([data.text, ...data.thread].some((text) => countCharacters(text) > room)) {
    throw new DomainError("unprocessable", `A draft's posts are at most ${room} characters each`, { fields: { text: "Too long to keep" } });
  }
  const author = await ctx.db.query.users.findFirst({ where: eq(users.id, actor.id), columns: { defaultVisibility: true } });
  if (!author) throw new DomainError("not_found", "That account does not exist");
  return writeDraft(ctx, actor.id, data, { replacing, visibility: data.visibility ?? author.defaultVisibility, scheduledAt: null });
}

/**
 * Schedules a post as the acting user, new or in place of one of their drafts or scheduled posts: checked now exactly
 * as publishing it will be (checkThread), for a time at least five minutes ahead, within Mastodon's limits. The same
 * Idempotency-Key gives back the scheduled post it first made.
 */
export async function schedulePost(
  ctx: DomainContext,
  input: DraftInput,
  scheduledAt: Date,
  options: { id?: string; idempotencyKey?: string } = {},
): Promise<DraftView> {
  const actor = assertCan(ctx, "create:post:own");
  const data = draftInputSchema.parse(input);
  const earlier = options.idempotencyKey && (await draftByIdempotencyKey(ctx, actor.id, options.idempotencyKey));
  if (earlier) return earlier;
  await checkSchedule(ctx, actor.id, scheduledAt, options.id);
  const visibility = await checkThread(ctx, data, data.thread, options.id);
  try {
    return await writeDraft(ctx, actor.id, data, {
      replacing: options.id ? { id: options.id } : undefined,
      visibility,
      scheduledAt,
      idempotencyKey: options.idempotencyKey,
    });
  } catch (error) {
    const winner =
      options.idempotencyKey && isUniqueConstraintError(error) && (await draftByIdempotencyKey(ctx, actor.id, options.idempotencyKey));
    if (winner) return winner;
    throw error;
  }
}

/**
 * Gives one of the acting user's drafts or scheduled posts (of the kind asked for) a new time, checking it again as
 * schedulePost does: the post may have stopped being publishable since (its parent deleted, say).
 */
export async function reschedule(ctx: DomainContext, id: string, scheduledAt: Date, kind?: DraftKind): Promise<DraftView> {
  const actor = assertCan(ctx, "create:post:own");
  const { draft, media } = await changeableDraft(ctx, actor.id, id, kind);
  await checkSchedule(ctx, actor.id, scheduledAt, id);
  await checkThread(ctx, inputOf(draft, media), draft.thread, id);
  await ctx.db
    .update(drafts)
    .set({ scheduledAt, failure: null, updatedAt: new Date() })
    .where(and(eq(drafts.id, id), claimable(Date.now())));
  return ownDraft(ctx, actor.id, id);
}

/** Deletes one of the owner's drafts or scheduled posts; its uploads become plain uploads again, and expire as such. */
export async function deleteDraft(ctx: DomainContext, ownerId: string, id: string, kind?: DraftKind): Promise<void> {
  await changeableDraft(ctx, ownerId, id, kind);
  await ctx.db.delete(drafts).where(and(eq(drafts.id, id), eq(drafts.authorId, ownerId), claimable(Date.now())));
}

/**
 * Publishes one of the acting user's drafts or scheduled posts (of the kind asked for) now, through createThread (the
 * one path every post takes), deleting it in the same batch.
 */
export async function publishDraft(ctx: DomainContext, id: string, kind?: DraftKind): Promise<Post[]> {
  return publishNow(ctx, id, kind);
}

/**
 * Publishes one of the acting user's drafts or scheduled posts as changed in the composer: what was typed is published
 * in its place, and if it is refused the draft stays as it was (scheduled ones keep their time).
 */
export async function publishDraftAs(ctx: DomainContext, id: string, content: DraftInput): Promise<Post[]> {
  return publishNow(ctx, id, undefined, draftInputSchema.parse(content));
}

async function publishNow(ctx: DomainContext, id: string, kind?: DraftKind, content?: DraftData): Promise<Post[]> {
  const actor = assertCan(ctx, "create:post:own");
  await changeableDraft(ctx, actor.id, id, kind);
  const claimed = await claim(ctx, actor.id, id, Date.now());
  if (!claimed) throw publishingError();
  return publishClaimed(ctx, claimed, content);
}

/**
 * The minute job: publishes scheduled posts whose time has come, each as its author would (their current role and
 * account: a reply whose parent was deleted, an account that may no longer post, are refused like any post). A post
 * refused for a reason of its own goes back to its author's drafts with that reason, for them to fix and publish or
 * schedule again; other failures are reported to `onUnexpected` and retried each minute for an hour, then handled the
 * same way. Each post is claimed first, and its publication carries an idempotency key of its own, so overlapping runs
 * publish it once.
 */
export async function publishDuePosts(ctx: DomainContext, onUnexpected: (error: unknown, draftId: string) => void, now = Date.now()) {
  const due = await ctx.db
    .select({ draft: drafts, role: users.role })
    .from(drafts)
    .innerJoin(users, eq(users.id, drafts.authorId))
    .where(and(lte(drafts.scheduledAt, new Date(now)), claimable(now)))
    .orderBy(asc(drafts.scheduledAt))
    .limit(DUE_PER_RUN);
  const counts = { published: 0, failed: 0, retrying: 0 };
  for (const { draft, role } of due) {
    const author = actingAs(ctx, { id: draft.authorId, role });
    const claimed = await claim(author, draft.authorId, draft.id, now);
    if (!claimed) continue;
    try {
      await publishClaimed(author, claimed);
      counts.published += 1;
    } catch (error) {
      const ownFault = error instanceof DomainError || error instanceof ZodError;
      if (!ownFault) onUnexpected(error, draft.id);
      if (!ownFault && now - draft.scheduledAt!.getTime() < RETRY_FOR_MS) {
        counts.retrying += 1;
        continue;
      }
      await ctx.db
        .update(drafts)
        .set({ scheduledAt: null, failure: failureOf(error), claimedAt: null })
        .where(eq(drafts.id, draft.id));
      counts.failed += 1;
    }
  }
  return counts;
}

function failureOf(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  if (error instanceof ZodError) return describeZodError(error);
  return "It could not be published because of a problem on our side. Publish it now, or schedule it again.";
}

/** The post a draft makes, as createThread takes it; its idempotency key makes a second publication return the first. */
function postOf(id: string, data: Omit<DraftData, "thread">): NewPost {
  return { ...data, idempotencyKey: `draft:${id}` };
}

/** A stored draft as the input it was saved from. */
export function inputOf(draft: Draft, media: Attachment[]): DraftData {
  return {
    text: draft.text,
    thread: draft.thread,
    spoilerText: draft.spoilerText,
    sensitive: draft.sensitive,
    language: draft.language ?? undefined,
    visibility: draft.visibility,
    inReplyToId: draft.inReplyToId ?? undefined,
    quoteOfId: draft.quoteOfId ?? undefined,
    quotePolicy: draft.quotePolicy,
    mediaIds: media.map((attachment) => attachment.id),
    poll: draft.poll ?? undefined,
  };
}

async function publishClaimed(ctx: DomainContext, draft: Draft, content?: DraftData): Promise<Post[]> {
  try {
    const [view] = await withMedia(ctx, [draft]);
    const data = content ?? inputOf(draft, view!.media);
    return await createThread(ctx, postOf(draft.id, data), data.thread, {
      id: draft.id,
      // First in the batch: deleting the draft lets go of its uploads, so the post can take them.
      statements: [ctx.db.delete(drafts).where(eq(drafts.id, draft.id))],
    });
  } catch (error) {
    await ctx.db.update(drafts).set({ claimedAt: null }).where(eq(drafts.id, draft.id));
    throw error;
  }
}

async function claim(ctx: DomainContext, authorId: string, id: string, now: number): Promise<Draft | undefined> {
  const [row] = await ctx.db
    .update(drafts)
    .set({ claimedAt: new Date(now) })
    .where(and(eq(drafts.id, id), eq(drafts.authorId, authorId), claimable(now)))
    .returning();
  return row;
}

const publishingError = () => new DomainError("conflict", "This post is being published right now", { code: "publishing" });

/** A draft its owner may change: theirs, of the kind asked for, and not being published at this moment. */
async function changeableDraft(ctx: DomainContext, ownerId: string, id: string, kind?: DraftKind): Promise<DraftView> {
  const view = await ownDraft(ctx, ownerId, id, kind);
  const { claimedAt } = view.draft;
  if (claimedAt && claimedAt.getTime() > Date.now() - CLAIM_MS) throw publishingError();
  return view;
}

async function draftByIdempotencyKey(ctx: DomainContext, authorId: string, key: string): Promise<DraftView | undefined> {
  const draft = await ctx.db.query.drafts.findFirst({ where: and(eq(drafts.authorId, authorId), eq(drafts.idempotencyKey, key)) });
  return draft && (await withMedia(ctx, [draft]))[0];
}

/** At least five minutes ahead, and within the author's total and daily limits (not counting the post being moved). */
async function checkSchedule(ctx: DomainContext, authorId: string, at: Date, movingId?: string): Promise<void> {
  if (Number.isNaN(at.getTime()) || at.getTime() < Date.now() + scheduleLimits.minimumLeadMs) {
    throw new DomainError("unprocessable", "Scheduled posts must be at least 5 minutes in the future", {
      code: "too_soon",
      fields: { scheduledAt: "Pick a time at least 5 minutes from now" },
    });
  }
  const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const [counts] = await ctx.db
    .select({
      total: sql<number>`count(*)`,
      sameDay: sql<number>`coalesce(sum(${drafts.scheduledAt} >= ${dayStart.getTime()} AND ${drafts.scheduledAt} < ${dayStart.getTime() + DAY_MS}), 0)`,
    })
    .from(drafts)
    .where(and(eq(drafts.authorId, authorId), isNotNull(drafts.scheduledAt), movingId ? ne(drafts.id, movingId) : undefined));
  if ((counts?.total ?? 0) >= scheduleLimits.total) {
    throw new DomainError("unprocessable", `You can have at most ${scheduleLimits.total} scheduled posts`, { code: "total_limit" });
  }
  if ((counts?.sameDay ?? 0) >= scheduleLimits.perDay) {
    throw new DomainError("unprocessable", `You can schedule at most ${scheduleLimits.perDay} posts for one day (UTC)`, {
      code: "daily_limit",
      fields: { scheduledAt: "Pick another day" },
    });
  }
}

/**
 * Writes a draft and reserves its uploads in one batch; uploads it no longer has go back to being plain uploads. A
 * draft being replaced must not be in the middle of its publication.
 */
async function writeDraft(
  ctx: DomainContext,
  authorId: string,
  data: DraftData,
  options: { replacing?: { id: string; kind?: DraftKind }; visibility: Visibility; scheduledAt: Date | null; idempotencyKey?: string },
): Promise<DraftView> {
  const { replacing } = options;
  const existing = replacing ? await changeableDraft(ctx, authorId, replacing.id, replacing.kind) : undefined;
  const now = new Date();
  const id = existing?.draft.id ?? newId(now.getTime());
  const uploads = await attachableUploads(ctx, authorId, data.mediaIds, { draftId: id });
  const values = {
    text: data.text,
    thread: data.thread,
    spoilerText: data.spoilerText,
    sensitive: data.sensitive,
    visibility: options.visibility,
    language: data.language ?? null,
    inReplyToId: data.inReplyToId ?? null,
    quoteOfId: data.quoteOfId ?? null,
    quotePolicy: data.quotePolicy,
    poll: data.poll ?? null,
    scheduledAt: options.scheduledAt,
    failure: null,
    updatedAt: now,
  };
  const kept = uploads.map((upload) => upload.id);
  await ctx.db
    .batch([
      existing
        ? ctx.db
            .update(drafts)
            .set(values)
            .where(and(eq(drafts.id, id), claimable(now.getTime())))
        : ctx.db.insert(drafts).values({ id, authorId, ...values, idempotencyKey: options.idempotencyKey, createdAt: now }),
      ctx.db
        .update(mediaAttachments)
        .set({ draftId: null })
        .where(and(eq(mediaAttachments.draftId, id), notInArray(mediaAttachments.id, kept))),
      ...uploads.map((upload, position) =>
        ctx.db
          .update(mediaAttachments)
          .set({ draftId: id, position })
          .where(and(eq(mediaAttachments.id, upload.id), eq(mediaAttachments.ownerId, authorId))),
      ),
    ])
    .catch((error: unknown) => {
      throw attachmentRefusal(error);
    });
  return ownDraft(ctx, authorId, id);
}
