import { z } from "@hono/zod-openapi";
import { visibilities } from "#db/schema/index.ts";
import type { PostView } from "#domain/posts/posts.ts";
import { AccountSchema, CustomEmojiSchema, presentAccount } from "./account.ts";
import { richTextToHtml } from "./content-html.ts";

export const MentionSchema = z
  .object({ id: z.string(), username: z.string(), url: z.url(), acct: z.string() })
  .openapi("Mention");

export const StatusTagSchema = z.object({ name: z.string(), url: z.url() }).openapi("StatusTag");

export const StatusSchema = z
  .object({
    id: z.string().openapi({ example: "115934812345678901" }),
    uri: z.url(),
    url: z.url().nullable(),
    created_at: z.iso.datetime(),
    edited_at: z.iso.datetime().nullable(),
    account: AccountSchema,
    content: z.string().openapi({ description: "The post as HTML." }),
    visibility: z
      .enum(visibilities)
      .openapi({ description: "Mastodon's four visibilities, plus `friends` (a Perch extension: mutual friends only)." }),
    sensitive: z.boolean(),
    spoiler_text: z.string(),
    language: z.string().nullable(),
    in_reply_to_id: z.string().nullable(),
    in_reply_to_account_id: z.string().nullable(),
    replies_count: z.number().int(),
    reblogs_count: z.number().int(),
    favourites_count: z.number().int(),
    media_attachments: z.tuple([]).openapi({ description: "Always empty until posts can carry media." }),
    mentions: z.array(MentionSchema),
    tags: z.array(StatusTagSchema),
    emojis: z.array(CustomEmojiSchema),
    reblog: z.null(),
    poll: z.null(),
    card: z.null(),
    application: z.null(),
  })
  .openapi("Status", { description: "Mastodon's Status entity." });

export type Status = z.infer<typeof StatusSchema>;

export function presentStatus({ post, author, tags, mentions }: PostView, origin: string): Status {
  const url = `${origin}/${author.username}/status/${post.id}`;
  return {
    id: post.id,
    uri: url,
    url,
    created_at: post.createdAt.toISOString(),
    edited_at: post.editedAt?.toISOString() ?? null,
    account: presentAccount(author, origin),
    content: richTextToHtml(post.text, origin, mentions),
    visibility: post.visibility,
    sensitive: post.sensitive,
    spoiler_text: post.spoilerText,
    language: post.language,
    in_reply_to_id: post.inReplyToId,
    in_reply_to_account_id: post.inReplyToAuthorId,
    replies_count: post.repliesCount,
    reblogs_count: post.reblogsCount,
    favourites_count: post.favouritesCount,
    media_attachments: [],
    mentions: mentions.map((user) => ({
      id: user.id,
      username: user.username,
      acct: user.username,
      url: `${origin}/${user.username}`,
    })),
    tags: tags.map((tag) => ({ name: tag.name.toLowerCase(), url: `${origin}/tags/${encodeURIComponent(tag.name.toLowerCase())}` })),
    emojis: [],
    reblog: null,
    poll: null,
    card: null,
    application: null,
  };
}
