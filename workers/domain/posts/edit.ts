import { and, asc, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { mediaAttachments, mentions, pollVoters, postEdits, posts, postTags, quotePolicies } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { cardUrlOf, requestPreviewCard } from "../links/preview-cards.ts";
import {
  attachableUploads,
  attachmentDetailsSchema,
  attachStatements,
  detailStatements,
  removeAttachmentFiles,
  type Attachment,
} from "../media/attachments.ts";
import { extractEntities } from "../rich-text.ts";
import { editedPollSchema, pollEditStatements, resetsVotes } from "./polls.ts";
import { checkLength, entityStatements, notifyReaders, type PostView } from "./posts.ts";
import { viewPost } from "./thread.ts";

export const postEditSchema = z.object({
  /** May be empty when the post has media. */
  text: z.string().trim(),
  spoilerText: z.string().trim().max(500).default(""),
  sensitive: z.boolean().default(false),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "Use a two- or three-letter ISO 639 language code")
    .optional(),
  /** Absent: unchanged. */
  quotePolicy: z.enum(quotePolicies).optional(),
  /**
   * Absent: unchanged. Otherwise the post's attachments in order: ones it has and new uploads. Ones left out are
   * deleted with their files at once (someone taking a photo out of a post expects it gone).
   */
  mediaIds: z.array(z.string()).optional(),
  /** Alt text and focal points of the post's attachments, changed with the edit. */
  mediaAttributes: z.array(attachmentDetailsSchema.extend({ id: z.string() })).default([]),
  /** Absent: unchanged; null: removed. A new question starts the votes afresh (see pollEditStatements). */
  poll: editedPollSchema.nullable().optional(),
});

export interface PostVersion {
  text: string;
  spoilerText: string;
  sensitive: boolean;
  /** The version's attachments that still exist (removed ones are deleted, so earlier versions may show fewer). */
  media: Attachment[];
  pollOptions: string[] | null;
  createdAt: Date;
}

/**
 * Edits a post: text, content warning, sensitivity, language, quote policy, attachments and poll. The version it
 * replaces is kept (post_edits), the post is marked edited, and its hashtags and mentions follow the new text, all in
 * one batch. Only the author may edit; a repost has nothing to edit. Newly mentioned people get a mention; people who
 * reposted or quoted the post (and voters whose votes a new question erased) are told it changed, as on Mastodon.
 */
export async function editPost(ctx: DomainContext, actorId: string, postId: string, input: z.input<typeof postEditSchema>) {
  const before = await viewPost(ctx, actorId, postId);
  const { post } = before;
  if (post.authorId !== actorId) throw new DomainError("forbidden", "You can only edit your own posts");
  if (post.reblogOfId) throw new DomainError("unprocessable", "A repost cannot be edited");
  const data = postEditSchema.parse(input);
  const media = data.mediaIds === undefined ? before.media : await attachableUploads(ctx, actorId, data.mediaIds, post.id);
  if (data.text === "" && media.length === 0)
    throw new DomainError("unprocessable", "Write something first", { text: "Write something first" });
  if (data.mediaAttributes.some((change) => !media.some((attachment) => attachment.id === change.id))) {
    throw new DomainError("unprocessable", "Alt text can only be changed for the post's own attachments");
  }
  checkLength(ctx, data.text, data.spoilerText);
  const now = new Date();
  const { hashtags, usernames } = extractEntities(data.text);
  const cardUrl = cardUrlOf(data.text);
  const removed = before.media.filter((attachment) => !media.some((kept) => kept.id === attachment.id));
  const votesErased =
    Boolean(before.poll && data.poll && resetsVotes(before.poll, data.poll)) || (before.poll !== null && data.poll === null);
  const erasedVoters = votesErased ? await votersOf(ctx, before) : [];
  const id = post.id;
  await ctx.db
    .batch([
      ctx.db.insert(postEdits).values({
        postId: id,
        text: post.text,
        spoilerText: post.spoilerText,
        sensitive: post.sensitive,
        mediaIds: before.media.map((attachment) => attachment.id),
        pollOptions: before.poll?.options.map((option) => option.title) ?? null,
        createdAt: post.editedAt ?? post.createdAt,
      }),
      ctx.db
        .update(posts)
        .set({
          text: data.text,
          spoilerText: data.spoilerText,
          sensitive: data.sensitive,
          language: data.language ?? post.language,
          quotePolicy: data.quotePolicy ?? post.quotePolicy,
          cardUrl,
          editedAt: now,
        })
        .where(eq(posts.id, id)),
      ctx.db.delete(postTags).where(eq(postTags.postId, id)),
      ctx.db.delete(mentions).where(eq(mentions.postId, id)),
      ...entityStatements(ctx, id, { hashtags, usernames }, now),
      ...(removed.length > 0
        ? [
            ctx.db.delete(mediaAttachments).where(
              inArray(
                mediaAttachments.id,
                removed.map((attachment) => attachment.id),
              ),
            ),
          ]
        : []),
      ...attachStatements(ctx, id, media),
      ...detailStatements(ctx, id, data.mediaAttributes),
      ...(data.poll === undefined ? [] : pollEditStatements(ctx, id, before.poll, data.poll, now)),
    ])
    .catch((error: unknown) => {
      if (String(error).includes("already belongs to a post"))
        throw new DomainError("unprocessable", "An attachment is already used in another post");
      throw error;
    });
  await removeAttachmentFiles(ctx, removed);
  if (cardUrl) await requestPreviewCard(ctx, cardUrl);
  const after = await viewPost(ctx, actorId, id);
  await notifyAboutEdit(ctx, before, after, erasedVoters, now);
  return after;
}

async function votersOf(ctx: DomainContext, view: PostView): Promise<string[]> {
  if (!view.poll) return [];
  const rows = await ctx.db.select({ userId: pollVoters.userId }).from(pollVoters).where(eq(pollVoters.pollId, view.poll.poll.id));
  return rows.map((row) => row.userId);
}

async function notifyAboutEdit(ctx: DomainContext, before: PostView, after: PostView, erasedVoters: string[], at: Date): Promise<void> {
  const mentionedBefore = new Set(before.mentions.map((user) => user.id));
  const newlyMentioned = after.mentions.filter((user) => !mentionedBefore.has(user.id)).map((user) => user.id);
  await notifyReaders(ctx, after, newlyMentioned, "mention", at);
  const sharers = await ctx.db
    .select({ userId: posts.authorId })
    .from(posts)
    .where(or(eq(posts.reblogOfId, after.post.id), and(eq(posts.quoteOfId, after.post.id), eq(posts.quoteDetached, false))));
  await notifyReaders(ctx, after, [...sharers.map((row) => row.userId), ...erasedVoters], "update", at);
}

/** Every version of a post the viewer may see, oldest first, ending with the current one. */
export async function postHistory(ctx: DomainContext, viewerId: string | null, postId: string) {
  const view = await viewPost(ctx, viewerId, postId);
  const earlier = await ctx.db.select().from(postEdits).where(eq(postEdits.postId, view.post.id)).orderBy(asc(postEdits.id));
  const currentPoll = view.poll?.options.map((option) => option.title) ?? null;
  const mediaOf = (ids: string[] | null) =>
    ids === null ? view.media : ids.flatMap((id) => view.media.filter((attachment) => attachment.id === id));
  const versions: PostVersion[] = [
    ...earlier.map(({ text, spoilerText, sensitive, mediaIds, pollOptions, createdAt }) => ({
      text,
      spoilerText,
      sensitive,
      media: mediaOf(mediaIds),
      // Versions recorded before edits could change polls had the current one.
      pollOptions: mediaIds === null ? currentPoll : pollOptions,
      createdAt,
    })),
    {
      text: view.post.text,
      spoilerText: view.post.spoilerText,
      sensitive: view.post.sensitive,
      media: view.media,
      pollOptions: currentPoll,
      createdAt: view.post.editedAt ?? view.post.createdAt,
    },
  ];
  return { view, versions };
}
