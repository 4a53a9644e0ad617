import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { pollOptions, polls, pollVoters, posts } from "#db/schema/index.ts";
import { inIds, type Ids } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";

export type Poll = typeof polls.$inferSelect;
export type PollOption = Pick<typeof pollOptions.$inferSelect, "position" | "title" | "votesCount">;

/** A poll with its options in order, as every door shows it. */
export interface PollView {
  poll: Poll;
  options: PollOption[];
}

export const pollLimits = { minOptions: 2, maxOptions: 4, optionCharacters: 50, minSeconds: 5 * 60, maxSeconds: 7 * 24 * 60 * 60 } as const;

const pollDuration = z
  .number()
  .int()
  .min(pollLimits.minSeconds, "A poll runs for at least 5 minutes")
  .max(pollLimits.maxSeconds, "A poll runs for at most 7 days");

const pollShape = {
  options: z
    .array(
      z
        .string()
        .trim()
        .min(1, "Poll options cannot be empty")
        .max(pollLimits.optionCharacters, `Poll options are at most ${pollLimits.optionCharacters} characters`),
    )
    .min(pollLimits.minOptions, `A poll needs at least ${pollLimits.minOptions} options`)
    .max(pollLimits.maxOptions, `A poll has at most ${pollLimits.maxOptions} options`),
  expiresInSeconds: pollDuration,
  multiple: z.boolean().default(false),
  /** Voters see the counts only once the poll ends. */
  hideTotals: z.boolean().default(false),
};

const allDifferent = (poll: { options: string[] }) =>
  new Set(poll.options.map((option) => option.toLowerCase())).size === poll.options.length;
const allDifferentProblem = { message: "Poll options must all be different", path: ["options"] };

export const newPollSchema = z.object(pollShape).refine(allDifferent, allDifferentProblem);

/** A poll as an edit leaves it: without a duration, it ends when it was going to. */
export const editedPollSchema = z
  .object({ ...pollShape, expiresInSeconds: pollDuration.optional() })
  .refine(allDifferent, allDifferentProblem);

export type NewPoll = z.input<typeof newPollSchema>;

/** The statements that write a post's poll, for the batch that writes the post. */
export function pollStatements(ctx: DomainContext, postId: string, input: z.output<typeof newPollSchema>, createdAt: Date) {
  const id = newId(createdAt.getTime());
  return [
    ctx.db.insert(polls).values({
      id,
      postId,
      multiple: input.multiple,
      hideTotals: input.hideTotals,
      expiresAt: new Date(createdAt.getTime() + input.expiresInSeconds * 1000),
    }),
    ctx.db.insert(pollOptions).values(input.options.map((title, position) => ({ pollId: id, position, title }))),
  ];
}

/** Whether an edited poll is a new question: other choices, or a switch between one and several choices. */
export function resetsVotes(current: PollView, next: Pick<z.output<typeof newPollSchema>, "options" | "multiple">): boolean {
  const titles = current.options.map((option) => option.title);
  return (
    current.poll.multiple !== next.multiple ||
    titles.length !== next.options.length ||
    titles.some((title, index) => title !== next.options[index])
  );
}

/**
 * The statements that change a post's poll in an edit, for its batch. A new question (resetsVotes) replaces the poll
 * and its votes, as Mastodon does; the same question keeps them and runs for the new duration from now. Without a
 * duration the end stays where it was (a new question gets the time the old one had left). Null removes any poll.
 */
export function pollEditStatements(
  ctx: DomainContext,
  postId: string,
  current: PollView | null,
  next: z.output<typeof editedPollSchema> | null,
  at: Date,
) {
  const removeCurrent = current ? [ctx.db.delete(polls).where(eq(polls.id, current.poll.id))] : [];
  if (next === null) return removeCurrent;
  if (current && !resetsVotes(current, next)) {
    const moved =
      next.expiresInSeconds === undefined ? {} : { expiresAt: new Date(at.getTime() + next.expiresInSeconds * 1000), endNotifiedAt: null };
    return [
      ctx.db
        .update(polls)
        .set({ hideTotals: next.hideTotals, ...moved })
        .where(eq(polls.id, current.poll.id)),
    ];
  }
  return [
    ...removeCurrent,
    ...pollStatements(ctx, postId, { ...next, expiresInSeconds: next.expiresInSeconds ?? secondsLeftOf(current, at) }, at),
  ];
}

/** The time a replaced poll had left, within a new poll's limits; a poll that did not exist had none to keep. */
function secondsLeftOf(current: PollView | null, at: Date): number {
  if (!current)
    throw new DomainError("unprocessable", "Choose how long the poll runs", { fields: { poll: "Choose how long the poll runs" } });
  const left = Math.ceil((current.poll.expiresAt.getTime() - at.getTime()) / 1000);
  return Math.min(Math.max(left, pollLimits.minSeconds), pollLimits.maxSeconds);
}

/** The query for the polls of the posts `postIds` lists or selects (one row per option), for a batch; pollsByPost groups its rows. */
export function pollRowsOf(ctx: DomainContext, postIds: Ids) {
  return (
    ctx.db
      // The option's count is aliased: polls has a votes_count column too, and batched rows are keyed by column name.
      .select({
        poll: polls,
        option: {
          position: pollOptions.position,
          title: pollOptions.title,
          votesCount: sql<number>`${pollOptions.votesCount}`.as("option_votes"),
        },
      })
      .from(polls)
      .innerJoin(pollOptions, eq(pollOptions.pollId, polls.id))
      .where(inArray(polls.postId, inIds(postIds)))
      .orderBy(asc(pollOptions.position))
  );
}

export function pollsByPost(rows: Awaited<ReturnType<typeof pollRowsOf>>): Map<string, PollView> {
  const found = new Map<string, PollView>();
  for (const { poll, option } of rows) {
    const view = found.get(poll.postId) ?? { poll, options: [] };
    view.options.push(option);
    found.set(poll.postId, view);
  }
  return found;
}

export const isExpired = (poll: Poll, now = Date.now()) => poll.expiresAt.getTime() <= now;

/** A poll as one viewer sees it. Doors show the counts only when resultsVisible says so. */
export interface ShownPoll extends PollView {
  expired: boolean;
  /**
   * Once they voted (unless the author hid the totals until the end), when the poll ended, and always for its author;
   * until then counts are hidden so they cannot sway the vote.
   */
  resultsVisible: boolean;
  /** Whether the viewer has had their say: they voted, or they asked the question (authors do not vote, as on Mastodon). */
  voted: boolean;
  ownChoices: number[];
}

export function showPoll(view: PollView, authorId: string, viewerId: string | null, ownChoices: number[], now = Date.now()): ShownPoll {
  const expired = isExpired(view.poll, now);
  const isAuthor = viewerId === authorId;
  const voted = ownChoices.length > 0 || isAuthor;
  return { ...view, expired, resultsVisible: expired || isAuthor || (voted && !view.poll.hideTotals), voted, ownChoices };
}

/**
 * Closes polls that ended: each is marked in the same batch as its poll.ended event, whose handler tells the voters and
 * the author (a "poll" notification, as Mastodon does), so each poll is announced once. Runs from cron; returns how
 * many polls it closed.
 */
export async function closeEndedPolls(ctx: DomainContext, now = new Date()): Promise<number> {
  const ended = await ctx.db
    .select({ id: polls.id, postId: polls.postId, authorId: posts.authorId })
    .from(polls)
    .innerJoin(posts, eq(posts.id, polls.postId))
    .where(and(isNull(polls.endNotifiedAt), lte(polls.expiresAt, now)))
    .limit(90);
  if (ended.length === 0) return 0;
  await commit(
    ctx,
    [
      ctx.db
        .update(polls)
        .set({ endNotifiedAt: now })
        .where(
          inArray(
            polls.id,
            ended.map((poll) => poll.id),
          ),
        ),
    ],
    ended.map((poll) => ({ type: "poll.ended" as const, payload: { pollId: poll.id, postId: poll.postId, authorId: poll.authorId } })),
  );
  return ended.length;
}

/** Everyone who voted in a poll. */
export async function votersOf(ctx: DomainContext, pollId: string): Promise<string[]> {
  const rows = await ctx.db.select({ userId: pollVoters.userId }).from(pollVoters).where(eq(pollVoters.pollId, pollId));
  return rows.map((row) => row.userId);
}
