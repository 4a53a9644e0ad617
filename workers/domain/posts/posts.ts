import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import {
  idempotencyKeys,
  mediaAttachments,
  mentions,
  type notificationTypes,
  posts,
  postTags,
  previewCards,
  quotePolicies,
  tags,
  users,
  visibilities,
} from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { notificationInserts } from "../notifications.ts";
import { relationshipsToward, relationshipWith } from "../graph/relationships.ts";
import { cardUrlOf, requestPreviewCard, type PreviewCard } from "../links/preview-cards.ts";
import { attachableUploads, attachStatements, type Attachment } from "../media/attachments.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { countCharacters, extractEntities } from "../rich-text.ts";
import { newPollSchema, pollRowsOf, pollsByPost, pollStatements, type PollView } from "./polls.ts";
import { canSeePost, visibleTo } from "./visibility.ts";

export type Post = typeof posts.$inferSelect;
type NotificationType = (typeof notificationTypes)[number];
export type Visibility = (typeof visibilities)[number];
export type Tag = Pick<typeof tags.$inferSelect, "id" | "name">;

/** A post with everything needed to show it: its author, hashtags, the people it mentions, media, poll and link card. */
export interface PostView {
  post: Post;
  author: PublicUser;
  tags: Tag[];
  mentions: PublicUser[];
  media: Attachment[];
  poll: PollView | null;
  /** The preview of the post's first link, once it was fetched. */
  card: PreviewCard | null;
}

export const newPostSchema = z.object({
  authorId: z.string(),
  /** May be empty when the post has media. */
  text: z.string().trim(),
  spoilerText: z.string().trim().max(500).default(""),
  sensitive: z.boolean().default(false),
  /** Absent: the author's default visibility (privacy settings). */
  visibility: z.enum(visibilities).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "Use a two- or three-letter ISO 639 language code")
    .optional(),
  inReplyToId: z.string().optional(),
  quoteOfId: z.string().optional(),
  /** Who may quote this post; absent: anyone who can see it. */
  quotePolicy: z.enum(quotePolicies).default("public"),
  /** Uploads (see media/attachments.ts) in the order they are shown. */
  mediaIds: z.array(z.string()).default([]),
  poll: newPollSchema.optional(),
  /** The client's Idempotency-Key: the same key from the same author gives back the same post. */
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** Seeds and fixtures fix the id and creation time; real posts take a new id and "now". */
  id: z.string().optional(),
  createdAt: z.date().optional(),
});

export type NewPost = z.input<typeof newPostSchema>;

/**
 * Writes a post with its hashtags, mentions and idempotency key in one batch (one transaction); counters on the
 * author and on the post replied to are kept by triggers in the same transaction (ADR 0007). A reply or quote must
 * target a post the author may see (else not found), and a quote only a public or unlisted one whose author does
 * not block them. Mentioned people who may see the post are notified.
 */
export async function createPost(ctx: DomainContext, input: NewPost): Promise<Post> {
  const data = newPostSchema.parse(input);
  if (data.text === "" && data.mediaIds.length === 0)
    throw new DomainError("unprocessable", "Write something first", { text: "Write something first" });
  if (data.idempotencyKey) {
    const earlier = await ctx.db.query.idempotencyKeys.findFirst({
      where: and(eq(idempotencyKeys.userId, data.authorId), eq(idempotencyKeys.key, data.idempotencyKey)),
    });
    const existing = earlier && (await ctx.db.query.posts.findFirst({ where: eq(posts.id, earlier.postId) }));
    if (existing) return existing;
  }
  checkLength(ctx, data.text, data.spoilerText);
  const author = await ctx.db.query.users.findFirst({
    where: eq(users.id, data.authorId),
    columns: { emailVerifiedAt: true, defaultVisibility: true },
  });
  if (!author) throw new DomainError("not_found", "That account does not exist");
  if (!author.emailVerifiedAt) {
    throw new DomainError("forbidden", "Confirm your email address to start posting: we sent you a link when you signed up.");
  }
  const parent = data.inReplyToId ? await visiblePost(ctx, data.authorId, data.inReplyToId) : undefined;
  if (data.inReplyToId && !parent) throw new DomainError("not_found", "The post you are replying to does not exist");
  if (data.quoteOfId) await checkQuotable(ctx, data.authorId, data.quoteOfId);

  const uploads = await attachableUploads(ctx, data.authorId, data.mediaIds);

  const createdAt = data.createdAt ?? new Date();
  const id = data.id ?? newId(createdAt.getTime());
  const visibility = data.visibility ?? author.defaultVisibility;
  const { hashtags, usernames } = extractEntities(data.text);
  const cardUrl = cardUrlOf(data.text);

  const insertPost = ctx.db
    .insert(posts)
    .values({
      id,
      authorId: data.authorId,
      text: data.text,
      spoilerText: data.spoilerText,
      sensitive: data.sensitive,
      visibility,
      language: data.language,
      inReplyToId: parent?.post.id,
      inReplyToAuthorId: parent?.post.authorId,
      quoteOfId: data.quoteOfId,
      quotePolicy: data.quotePolicy,
      cardUrl,
      createdAt,
    })
    .returning();
  const rememberKey = data.idempotencyKey
    ? [ctx.db.insert(idempotencyKeys).values({ userId: data.authorId, key: data.idempotencyKey, postId: id, createdAt })]
    : [];

  const [[post]] = await ctx.db
    .batch([
      insertPost,
      ...entityStatements(ctx, id, { hashtags, usernames }, createdAt),
      ...rememberKey,
      ...attachStatements(ctx, id, uploads),
      ...(data.poll ? pollStatements(ctx, id, data.poll, createdAt) : []),
    ])
    .catch((error: unknown) => {
      // Another post took one of the uploads since attachableUploads looked (the attach-once trigger); nothing was written.
      if (String(error).includes("already belongs to a post"))
        throw new DomainError("unprocessable", "An attachment is already used in another post");
      throw error;
    });
  if (!post) throw new Error("Inserting a post returned no row");
  if (usernames.length > 0) await notifyMentioned(ctx, post);
  if (cardUrl) await requestPreviewCard(ctx, cardUrl);
  return post;
}

/**
 * A quote needs a public or unlisted post the quoter may see, whose author allows it: anyone (public), only their
 * followers (followers), or no one but themselves (nobody).
 */
async function checkQuotable(ctx: DomainContext, quoterId: string, postId: string): Promise<void> {
  const quoted = await visiblePost(ctx, quoterId, postId);
  if (!quoted) throw new DomainError("not_found", "The post you are quoting does not exist");
  const { post, author } = quoted;
  if (post.reblogOfId || (post.visibility !== "public" && post.visibility !== "unlisted")) {
    throw new DomainError("unprocessable", "Only public and unlisted posts can be quoted");
  }
  if (post.authorId === quoterId || post.quotePolicy === "public") return;
  if (post.quotePolicy === "nobody") throw new DomainError("unprocessable", `@${author.username} does not allow quotes of this post`);
  if (!(await relationshipWith(ctx, quoterId, post.authorId)).following) {
    throw new DomainError("unprocessable", `Only @${author.username}'s followers can quote this post`);
  }
}

/** Text and content warning together fit the instance's limit, counted as Mastodon counts (links as 23). */
export function checkLength(ctx: DomainContext, text: string, spoilerText: string): void {
  const limit = ctx.config.POST_MAX_CHARACTERS;
  const length = countCharacters(text) + countCharacters(spoilerText);
  if (length > limit) {
    throw new DomainError("unprocessable", `Posts are at most ${limit} characters (this one has ${length})`, {
      text: `${length - limit} characters over the limit`,
    });
  }
}

/**
 * The statements that store a post's hashtags (creating tags not seen before) and link its mentions to the accounts
 * they name, for the batch that writes or edits the post.
 */
export function entityStatements(ctx: DomainContext, postId: string, entities: { hashtags: string[]; usernames: string[] }, at: Date) {
  const { hashtags, usernames } = entities;
  const lowered = (names: string[]) => names.map((name) => name.toLowerCase());
  const statements = [];
  if (hashtags.length > 0) {
    statements.push(
      ...hashtags.map((name, index) =>
        ctx.db
          .insert(tags)
          .values({ id: newId(at.getTime() + index), name, createdAt: at })
          .onConflictDoNothing(),
      ),
      ctx.db.insert(postTags).select(
        ctx.db
          .select({ postId: sql<string>`${postId}`.as("post_id"), tagId: tags.id })
          .from(tags)
          .where(inArray(sql`lower(${tags.name})`, lowered(hashtags))),
      ),
    );
  }
  if (usernames.length > 0) {
    statements.push(
      ctx.db.insert(mentions).select(
        ctx.db
          .select({ postId: sql<string>`${postId}`.as("post_id"), userId: users.id })
          .from(users)
          .where(inArray(sql`lower(${users.username})`, lowered(usernames))),
      ),
    );
  }
  return statements;
}

/** A post as someone may see it, or undefined. */
async function visiblePost(ctx: DomainContext, viewerId: string, postId: string): Promise<PostView | undefined> {
  const row = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  if (!row) return undefined;
  const [view] = await visibleTo(ctx, viewerId, await viewPosts(ctx, [row]));
  return view;
}

/** Mention notifications, for the mentioned who may see the post and have not muted or blocked its author. */
async function notifyMentioned(ctx: DomainContext, post: Post): Promise<void> {
  const [view] = await viewPosts(ctx, [post]);
  if (view)
    await notifyReaders(
      ctx,
      view,
      view.mentions.map((user) => user.id),
      "mention",
      post.createdAt,
    );
}

/**
 * Notifies people about a post, leaving out its author, anyone who may no longer see it, and anyone who mutes or
 * blocks its author or is blocked by them.
 */
export async function notifyReaders(
  ctx: DomainContext,
  view: PostView,
  userIds: string[],
  type: NotificationType,
  at: Date,
): Promise<void> {
  const candidates = [...new Set(userIds)].filter((userId) => userId !== view.post.authorId);
  const relationships = await relationshipsToward(ctx, candidates, view.post.authorId);
  const recipients = candidates.filter((userId) => {
    const relationship = relationships.get(userId)!;
    return !relationship.muting && !relationship.blocking && !relationship.blockedBy && canSeePost(userId, view, relationship);
  });
  const [first, ...more] = notificationInserts(
    ctx,
    recipients.map((userId) => ({ userId, type, fromUserId: view.post.authorId, postId: view.post.id, createdAt: at })),
  );
  if (first) await ctx.db.batch([first, ...more]);
}

/** Attaches authors, hashtags, mentions, media, polls and cards to posts in one round trip, keeping the posts' order. */
export async function viewPosts(ctx: DomainContext, rows: Post[]): Promise<PostView[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((post) => post.id);
  const authorIds = [...new Set(rows.map((post) => post.authorId))];
  const cardUrls = [...new Set(rows.map((post) => post.cardUrl).filter((url): url is string => Boolean(url)))];
  const [authors, tagRows, mentionRows, mediaRows, pollRows, cardRows] = await ctx.db.batch([
    ctx.db.select(publicUserColumns).from(users).where(inArray(users.id, authorIds)),
    ctx.db
      .select({ postId: postTags.postId, id: tags.id, name: tags.name })
      .from(postTags)
      .innerJoin(tags, eq(tags.id, postTags.tagId))
      .where(inArray(postTags.postId, postIds)),
    ctx.db
      .select({ postId: mentions.postId, user: publicUserColumns })
      .from(mentions)
      .innerJoin(users, eq(users.id, mentions.userId))
      .where(inArray(mentions.postId, postIds)),
    ctx.db.select().from(mediaAttachments).where(inArray(mediaAttachments.postId, postIds)).orderBy(mediaAttachments.position),
    pollRowsOf(ctx, postIds),
    ctx.db
      .select()
      .from(previewCards)
      .where(and(inArray(previewCards.url, cardUrls), eq(previewCards.state, "ready"))),
  ]);
  const authorsById = new Map(authors.map((author) => [author.id, author]));
  const pollsById = pollsByPost(pollRows);
  const cardsByUrl = new Map(cardRows.map((card) => [card.url, card]));
  return rows.flatMap((post) => {
    const author = authorsById.get(post.authorId);
    if (!author) return [];
    return [
      {
        post,
        author,
        tags: tagRows.filter((tag) => tag.postId === post.id).map(({ id, name }) => ({ id, name })),
        mentions: mentionRows.filter((mention) => mention.postId === post.id).map((mention) => mention.user),
        media: mediaRows.filter((attachment) => attachment.postId === post.id),
        poll: pollsById.get(post.id) ?? null,
        card: (post.cardUrl && cardsByUrl.get(post.cardUrl)) || null,
      },
    ];
  });
}

/**
 * Publishes a thread: each post replies to the one before. Every post is checked before any is written, so a thread
 * is published whole or not at all (a failure while writing later posts cannot come from validation).
 */
export async function createThread(ctx: DomainContext, first: NewPost, more: string[]): Promise<Post[]> {
  const limit = ctx.config.POST_MAX_CHARACTERS;
  for (const [index, text] of [first.text, ...more].entries()) {
    const length = countCharacters(text.trim()) + countCharacters(first.spoilerText ?? "");
    const carriesMedia = index === 0 && (first.mediaIds ?? []).length > 0;
    if (text.trim() === "" && !carriesMedia)
      throw new DomainError("unprocessable", `Post ${index + 1} of the thread is empty`, { text: "Write something first" });
    if (length > limit)
      throw new DomainError("unprocessable", `Post ${index + 1} of the thread is over ${limit} characters`, {
        text: `${length - limit} characters over the limit`,
      });
  }
  const created = [await createPost(ctx, first)];
  for (const text of more) {
    created.push(
      await createPost(ctx, {
        ...first,
        text,
        inReplyToId: created.at(-1)!.id,
        mediaIds: [],
        poll: undefined,
        idempotencyKey: undefined,
        id: undefined,
      }),
    );
  }
  return created;
}
