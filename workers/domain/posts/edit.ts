import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { mentions, postEdits, posts, postTags, quotePolicies } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { cardUrlOf, requestPreviewCard } from "../links/preview-cards.ts";
import { extractEntities } from "../rich-text.ts";
import { checkLength, entityStatements } from "./posts.ts";
import { viewPost } from "./thread.ts";

export const postEditSchema = z.object({
  /** May be empty when the post has media. */
  text: z.string().trim(),
  spoilerText: z.string().trim().max(500).default(""),
  sensitive: z.boolean().default(false),
  language: z.string().regex(/^[a-z]{2,3}$/, "Use a two- or three-letter ISO 639 language code").optional(),
  /** Absent: unchanged. */
  quotePolicy: z.enum(quotePolicies).optional(),
});

export interface PostVersion {
  text: string;
  spoilerText: string;
  sensitive: boolean;
  createdAt: Date;
}

/**
 * Edits a post's text, content warning, sensitivity or language. The version it replaces is kept (post_edits), the
 * post is marked edited, and its hashtags and mentions follow the new text, all in one batch. Only the author may
 * edit; a repost has nothing to edit.
 */
export async function editPost(ctx: DomainContext, actorId: string, postId: string, input: z.input<typeof postEditSchema>) {
  const { post, media } = await viewPost(ctx, actorId, postId);
  if (post.authorId !== actorId) throw new DomainError("forbidden", "You can only edit your own posts");
  if (post.reblogOfId) throw new DomainError("unprocessable", "A repost cannot be edited");
  const data = postEditSchema.parse(input);
  if (data.text === "" && media.length === 0) throw new DomainError("unprocessable", "Write something first", { text: "Write something first" });
  checkLength(ctx, data.text, data.spoilerText);
  const now = new Date();
  const { hashtags, usernames } = extractEntities(data.text);
  const cardUrl = cardUrlOf(data.text);
  const id = post.id;
  await ctx.db.batch([
    ctx.db.insert(postEdits).values({ postId: id, text: post.text, spoilerText: post.spoilerText, sensitive: post.sensitive, createdAt: post.editedAt ?? post.createdAt }),
    ctx.db
      .update(posts)
      .set({ text: data.text, spoilerText: data.spoilerText, sensitive: data.sensitive, language: data.language ?? post.language, quotePolicy: data.quotePolicy ?? post.quotePolicy, cardUrl, editedAt: now })
      .where(eq(posts.id, id)),
    ctx.db.delete(postTags).where(eq(postTags.postId, id)),
    ctx.db.delete(mentions).where(eq(mentions.postId, id)),
    ...entityStatements(ctx, id, { hashtags, usernames }, now),
  ]);
  if (cardUrl) await requestPreviewCard(ctx, cardUrl);
  return viewPost(ctx, actorId, id);
}

/** Every version of a post the viewer may see, oldest first, ending with the current one. */
export async function postHistory(ctx: DomainContext, viewerId: string | null, postId: string) {
  const view = await viewPost(ctx, viewerId, postId);
  const earlier = await ctx.db.select().from(postEdits).where(eq(postEdits.postId, view.post.id)).orderBy(asc(postEdits.id));
  const versions: PostVersion[] = [
    ...earlier.map(({ text, spoilerText, sensitive, createdAt }) => ({ text, spoilerText, sensitive, createdAt })),
    { text: view.post.text, spoilerText: view.post.spoilerText, sensitive: view.post.sensitive, createdAt: view.post.editedAt ?? view.post.createdAt },
  ];
  return { view, versions };
}
