import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { mediaAttachments, mentions, postEdits, posts, postTags, quotePolicies } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { cardUrlOf, previewCardStatement } from "../links/preview-cards.ts";
import {
  attachableUploads,
  attachmentRefusal,
  attachmentDetailsSchema,
  attachStatements,
  detailStatements,
  discardedFiles,
  type Attachment,
} from "../media/attachments.ts";
import { markedSensitive } from "../moderation/sensitized-accounts.ts";
import { extractEntities } from "../rich-text.ts";
import { editedPollSchema, pollEditStatements, resetsVotes, votersOf } from "./polls.ts";
import { checkContent, entityStatements, postContentShape } from "./posts.ts";
import { viewPost } from "./thread.ts";

export const postEditSchema = z.object({
  ...postContentShape,
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

/** Voters per poll.reset event: its payload stays far below a queue message's 128 KB. */
const VOTERS_PER_EVENT = 1000;

/**
 * Edits one of the acting user's posts (update:post:own): text, content warning, sensitivity, language, quote policy,
 * attachments and poll. The version it replaces is kept (post_edits), the post is marked edited, and its hashtags and
 * mentions follow the new text, all in one batch with a post.edited event (newly mentioned people and those who
 * reposted or quoted it hear of it), poll.reset events naming voters whose votes a new question erased, and the files
 * of removed attachments to discard. A repost has nothing to edit.
 */
export async function editPost(ctx: DomainContext, postId: string, input: z.input<typeof postEditSchema>) {
  const actor = assertCan(ctx, "update:post:own");
  const before = await viewPost(ctx, actor.id, postId);
  const { post } = before;
  if (post.authorId !== actor.id) throw new DomainError("forbidden", "You can only edit your own posts");
  if (post.reblogOfId) throw new DomainError("unprocessable", "A repost cannot be edited");
  const data = postEditSchema.parse(input);
  const media = data.mediaIds === undefined ? before.media : await attachableUploads(ctx, actor.id, data.mediaIds, { postId: post.id });
  if (data.mediaAttributes.some((change) => !media.some((attachment) => attachment.id === change.id))) {
    throw new DomainError("unprocessable", "Alt text can only be changed for the post's own attachments");
  }
  checkContent(ctx, data.text, data.spoilerText, { hasMedia: media.length > 0 });
  const sensitive = await markedSensitive(ctx, actor.id, data.sensitive, media.length > 0);
  const now = new Date();
  const entities = extractEntities(data.text);
  const cardUrl = cardUrlOf(data.text);
  const removed = before.media.filter((attachment) => !media.some((kept) => kept.id === attachment.id));
  const votesErased =
    Boolean(before.poll && data.poll && resetsVotes(before.poll, data.poll)) || (before.poll !== null && data.poll === null);
  const erasedVoters = votesErased && before.poll ? await votersOf(ctx, before.poll.poll.id) : [];
  const mentionedBefore = new Set(before.mentions.map((user) => user.username.toLowerCase()));
  const id = post.id;
  await commit(
    ctx,
    [
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
          sensitive,
          language: data.language ?? post.language,
          quotePolicy: data.quotePolicy ?? post.quotePolicy,
          cardUrl,
          editedAt: now,
        })
        .where(eq(posts.id, id)),
      ctx.db.delete(postTags).where(eq(postTags.postId, id)),
      ctx.db.delete(mentions).where(eq(mentions.postId, id)),
      ...entityStatements(ctx, id, entities, now),
      ...(cardUrl ? [previewCardStatement(ctx, cardUrl)] : []),
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
    ],
    [
      {
        type: "post.edited",
        payload: {
          postId: id,
          authorId: actor.id,
          newlyMentioned: entities.usernames.filter((name) => !mentionedBefore.has(name.toLowerCase())),
        },
      },
      ...chunks(erasedVoters, VOTERS_PER_EVENT).map((voterIds) => ({
        type: "poll.reset" as const,
        payload: { postId: id, authorId: actor.id, voterIds },
      })),
      ...discardedFiles({ attachments: removed }),
    ],
  ).catch((error: unknown) => {
    throw attachmentRefusal(error);
  });
  return viewPost(ctx, actor.id, id);
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

/** A post's source text, for editing it: only its author may have it (Mastodon's GET /statuses/:id/source). */
export async function postSource(ctx: DomainContext, viewerId: string, postId: string) {
  const { post } = await viewPost(ctx, viewerId, postId);
  if (post.authorId !== viewerId) throw new DomainError("forbidden", "You can only see the source of your own posts");
  return { id: post.id, text: post.text, spoilerText: post.spoilerText };
}
