import { eq } from "drizzle-orm";
import { polls, pollVoters, pollVotes } from "#db/schema/index.ts";
import { isUniqueConstraintError } from "#db/client.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { isExpired, type ShownPoll } from "./polls.ts";
import { showPost } from "./thread.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

/** A poll as the viewer sees it, through its post: not found when the post is not visible to them. */
export async function pollAsSeenBy(ctx: DomainContext, viewerId: string | null, pollId: string): Promise<ShownPoll> {
  const poll = await ctx.db.query.polls.findFirst({ where: eq(polls.id, pollId) });
  const shown = poll && (await showPost(ctx, viewerId, poll.postId)).poll;
  if (!shown) throw new DomainError("not_found", "Record not found");
  return shown;
}

/**
 * Votes in someone else's poll, on a post the voter may see: once, before it ends, for one option (or several when the poll allows
 * it). The voter row's primary key settles races: of two concurrent votes by one person, one is refused whole.
 */
export async function vote(ctx: DomainContext, voterId: string, pollId: string, choices: number[]): Promise<ShownPoll> {
  assertNotSuspended(ctx);
  const shown = await pollAsSeenBy(ctx, voterId, pollId);
  const { poll } = shown;
  const alreadyVoted = () => new DomainError("unprocessable", "You have already voted in this poll");
  if (shown.ownChoices.length > 0) throw alreadyVoted();
  if (shown.voted) throw new DomainError("unprocessable", "You cannot vote in your own poll");
  if (isExpired(poll)) throw new DomainError("unprocessable", "The poll has already ended");
  const picked = [...new Set(choices)];
  if (picked.length === 0) throw new DomainError("unprocessable", "Choose an option");
  if (!poll.multiple && picked.length > 1) throw new DomainError("unprocessable", "This poll takes one choice");
  if (picked.some((choice) => !Number.isInteger(choice) || choice < 0 || choice >= shown.options.length)) {
    throw new DomainError("unprocessable", "That option is not in the poll");
  }
  try {
    await ctx.db.batch([
      ctx.db.insert(pollVoters).values({ pollId, userId: voterId, createdAt: new Date() }),
      ctx.db.insert(pollVotes).values(picked.map((position) => ({ pollId, userId: voterId, position }))),
    ]);
  } catch (error) {
    if (isUniqueConstraintError(error)) throw alreadyVoted();
    throw error;
  }
  return pollAsSeenBy(ctx, voterId, pollId);
}
