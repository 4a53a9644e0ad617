import { z } from "@hono/zod-openapi";
import type { QuotedPost, ShownPost } from "#domain/posts/hydrate.ts";
import { AccountSchema, presentAccount } from "./account.ts";
import { richTextToHtml } from "./content-html.ts";
import { CustomEmojiListSchema, presentCustomEmoji } from "./custom-emoji.ts";
import { FilterResultSchema, presentFilterResult } from "./filter.ts";
import { MediaAttachmentSchema, presentAttachment } from "./media-attachment.ts";
import { PollSchema, presentPoll } from "./poll.ts";
import { PreviewCardSchema, presentPreviewCard } from "./preview-card.ts";
import { mastodonVisibility, MastodonVisibilitySchema, PerchVisibilitySchema } from "./visibility.ts";

export const MentionSchema = z.object({ id: z.string(), username: z.string(), url: z.url(), acct: z.string() }).openapi("Mention");

export const StatusTagSchema = z.object({ name: z.string(), url: z.url() }).openapi("StatusTag");

const ReactionSchema = z
  .object({ name: z.string(), count: z.number().int(), me: z.boolean() })
  .openapi("Reaction", { description: "Perch extension: an emoji reaction and how many gave it." });

const BaseStatusSchema = z.object({
  id: z.string().openapi({ example: "115934812345678901" }),
  uri: z.url(),
  url: z.url().nullable(),
  created_at: z.iso.datetime(),
  edited_at: z.iso.datetime().nullable(),
  account: AccountSchema,
  content: z.string().openapi({ description: "The post as HTML." }),
  visibility: MastodonVisibilitySchema,
  perch: z
    .object({ visibility: PerchVisibilitySchema })
    .openapi("StatusPerch", { description: "Perch extension: the post's own visibility, `friends` included (ADR 0019)." }),
  sensitive: z.boolean(),
  spoiler_text: z.string(),
  language: z.string().nullable(),
  in_reply_to_id: z.string().nullable(),
  in_reply_to_account_id: z.string().nullable(),
  replies_count: z.number().int(),
  reblogs_count: z.number().int(),
  favourites_count: z.number().int(),
  media_attachments: z.array(MediaAttachmentSchema),
  mentions: z.array(MentionSchema),
  tags: z.array(StatusTagSchema),
  emojis: CustomEmojiListSchema,
  poll: PollSchema.nullable(),
  card: PreviewCardSchema.nullable(),
  application: z.null(),
  favourited: z.boolean().optional(),
  reblogged: z.boolean().optional(),
  bookmarked: z.boolean().optional(),
  pinned: z.boolean().optional(),
  muted: z.boolean().optional(),
  text: z.string().optional().openapi({ description: "The source text; only in answers to delete (for redrafting)." }),
  reactions: z.array(ReactionSchema),
  quote_approval: z
    .object({
      automatic: z.array(z.enum(["public", "followers"])),
      manual: z.array(z.string()).max(0),
      current_user: z.enum(["automatic", "unknown"]),
    })
    .openapi({
      description:
        "Who may quote this post, as Mastodon 4.5 reports it; Perch never asks for manual approval. `current_user` is automatic for the author, unknown otherwise (quoting answers 422 when not allowed).",
    }),
  filtered: z
    .array(FilterResultSchema)
    .optional()
    .openapi({ description: "The filters of yours this post matched with a warning or blur (posts a hide filter matched are left out)." }),
  quote: z
    .object({ state: z.enum(["accepted", "unavailable"]), quoted_status: z.any().nullable() })
    .nullable()
    .openapi({ description: "Perch extension: the quoted post, or unavailable when it was deleted, detached or is not visible to you." }),
});

export const StatusSchema = BaseStatusSchema.extend({
  reblog: BaseStatusSchema.extend({ reblog: z.null() }).nullable(),
}).openapi("Status", { description: "Mastodon's Status entity, with Perch's reactions and quotes." });

export type Status = z.infer<typeof StatusSchema>;

type PresentedStatus = Omit<Status, "reblog"> & { reblog: null };

function present(
  view: QuotedPost & Partial<Pick<ShownPost, "viewer" | "reactions" | "quote" | "filtered">>,
  origin: string,
): PresentedStatus {
  const { post, author, tags, mentions } = view;
  const url = `${origin}/${author.username}/status/${post.id}`;
  const mine = view.viewer;
  return {
    id: post.id,
    uri: url,
    url,
    created_at: post.createdAt.toISOString(),
    edited_at: post.editedAt?.toISOString() ?? null,
    account: presentAccount(author, origin),
    content: richTextToHtml(post.text, origin, mentions),
    visibility: mastodonVisibility(post.visibility),
    perch: { visibility: post.visibility },
    sensitive: post.sensitive,
    spoiler_text: post.spoilerText,
    language: post.language,
    in_reply_to_id: post.inReplyToId,
    in_reply_to_account_id: post.inReplyToAuthorId,
    replies_count: post.repliesCount,
    reblogs_count: post.reblogsCount,
    favourites_count: post.favouritesCount,
    media_attachments: view.media.map((attachment) => presentAttachment(attachment, origin)),
    mentions: mentions.map((user) => ({
      id: user.id,
      username: user.username,
      acct: user.username,
      url: `${origin}/${user.username}`,
    })),
    tags: tags.map((tag) => ({ name: tag.name.toLowerCase(), url: `${origin}/tags/${encodeURIComponent(tag.name.toLowerCase())}` })),
    emojis: view.emojis.map((emoji) => presentCustomEmoji(emoji, origin)),
    reblog: null,
    poll: view.poll ? presentPoll(view.poll, Boolean(mine)) : null,
    card: view.card ? presentPreviewCard(view.card, origin) : null,
    application: null,
    ...(mine
      ? { favourited: mine.favourited, reblogged: mine.reblogged, bookmarked: mine.bookmarked, pinned: mine.pinned, muted: false }
      : {}),
    quote_approval: {
      automatic: post.quotePolicy === "nobody" ? [] : [post.quotePolicy],
      manual: [],
      current_user: "unknown",
    },
    ...(view.filtered ? { filtered: view.filtered.map(presentFilterResult) } : {}),
    reactions: (view.reactions ?? []).map(({ emoji, count }) => ({ name: emoji, count, me: Boolean(mine?.reactions.includes(emoji)) })),
    quote: view.quote
      ? view.quote.view
        ? { state: "accepted", quoted_status: present(view.quote.view, origin) }
        : { state: "unavailable", quoted_status: null }
      : null,
  };
}

/** Mastodon's Status for a post (a repost carries its original in `reblog`). */
export function presentStatus(view: ShownPost, origin: string): Status {
  return { ...present(view, origin), reblog: view.reblog ? present(view.reblog, origin) : null };
}
