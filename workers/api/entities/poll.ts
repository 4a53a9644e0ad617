import { z } from "@hono/zod-openapi";
import type { ShownPoll } from "#domain/posts/polls.ts";
import { EmojiListSchema } from "./custom-emoji.ts";

export const PollSchema = z
  .object({
    id: z.string(),
    expires_at: z.iso.datetime(),
    expired: z.boolean(),
    multiple: z.boolean(),
    votes_count: z.number().int(),
    voters_count: z.number().int(),
    options: z.array(
      z.object({
        title: z.string(),
        votes_count: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "null until you voted or the poll ended (always shown to its author)." }),
      }),
    ),
    emojis: EmojiListSchema,
    voted: z.boolean().optional(),
    own_votes: z.array(z.number().int()).optional(),
  })
  .openapi("Poll", { description: "Mastodon's Poll entity." });

export type PollEntity = z.infer<typeof PollSchema>;

export function presentPoll(shown: ShownPoll, signedIn: boolean): PollEntity {
  const { poll, options } = shown;
  return {
    id: poll.id,
    expires_at: poll.expiresAt.toISOString(),
    expired: shown.expired,
    multiple: poll.multiple,
    votes_count: poll.votesCount,
    voters_count: poll.votersCount,
    options: options.map((option) => ({ title: option.title, votes_count: shown.resultsVisible ? option.votesCount : null })),
    emojis: [],
    ...(signedIn ? { voted: shown.voted, own_votes: shown.ownChoices } : {}),
  };
}
