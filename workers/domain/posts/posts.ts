import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import {
  customEmojis,
  idempotencyKeys,
  mediaAttachments,
  mentions,
  posts,
  postTags,
  previewCards,
  quotePolicies,
  tags,
  users,
  visibilities,
} from "#db/schema/index.ts";
import { batchRead, inIds, runBatch, type BatchRead, type Ids } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { isUniqueConstraintError } from "#db/client.ts";
import { assertCan } from "../accounts/permissions.ts";
import { commit } from "../events/outbox.ts";
import { relationshipWith } from "../graph/relationships.ts";
import { cardUrlOf, previewCardStatement, type PreviewCard } from "../links/preview-cards.ts";
import { attachableUploads, attachmentRefusal, attachStatements, type Attachment } from "../media/attachments.ts";
import { markedSensitive } from "../moderation/sensitized-accounts.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { countCharacters, extractEntities } from "../rich-text.ts";
import { newPollSchema, pollRowsOf, pollsByPost, pollStatements, type PollView } from "./polls.ts";
import { visibleTo } from "./visibility.ts";

export type Post = typeof posts.$inferSelect;
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
  /** The server's enabled custom emoji its text or content warning writes as :shortcode:. */
  emojis: PostEmoji[];
}

export type PostEmoji = { shortcode: string; key: string };

/** The rules for what a post says, the same when it is written and when it is edited. */
export const postContentShape = {
  /** May be empty when the post has media. */
  text: z.string().trim(),
  spoilerText: z.string().trim().max(500, "Content warnings are at most 500 characters").default(""),
  sensitive: z.boolean().default(false),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "Use a two- or three-letter ISO 639 language code")
    .optional(),
};

export const newPostSchema = z.object({
  ...postContentShape,
  /** Absent: the author's default visibility (privacy settings). */
  visibility: z.enum(visibilities).optional(),
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

/** Writes a post as the acting user: a thread of one (see createThread). */
export async function createPost(ctx: DomainContext, input: NewPost): Promise<Post> {
  const [post] = await createThread(ctx, input, []);
  return post!;
}

/** A draft being published (drafts.ts): its reserved uploads may be used, and its removal commits with the posts. */
export interface FromDraft {
  id: string;
  statements: BatchItem<"sqlite">[];
}

/**
 * Publishes posts as the acting user (permission create:post:own): the first as given, each further text as a reply
 * to the one before, with the first one's content warning, visibility and language. Every post is checked before
 * anything is written, and all of them, with their hashtags, mentions, idempotency key, attachments, poll, link card
 * and a post.created event each, go in one batch: a thread is published whole or not at all. Counters on the author
 * and on the post replied to are kept by triggers in the same transaction (ADR 0007). A reply or quote must target a
 * post the author may see (else not found), and a quote only one its author lets them quote. The same Idempotency-Key
 * gives back the post it first made, even when two requests race (its primary key lets one batch through).
 */
export async function createThread(ctx: DomainContext, first: NewPost, more: string[], fromDraft?: FromDraft): Promise<Post[]> {
  const actor = assertCan(ctx, "create:post:own");
  const data = newPostSchema.parse(first);
  const earlier = data.idempotencyKey && (await postByIdempotencyKey(ctx, actor.id, data.idempotencyKey));
  if (earlier) return [earlier];
  const { texts, parent, uploads, sensitive, visibility } = await checkedThread(ctx, actor.id, data, more, fromDraft?.id);

  const createdAt = data.createdAt ?? new Date();
  const ids = texts.map((_, index) => (index === 0 && data.id) || newId(createdAt.getTime()));
  const perPost = texts.map((text, index) => {
    const id = ids[index]!;
    const cardUrl = cardUrlOf(text);
    const insertPost = ctx.db
      .insert(posts)
      .values({
        id,
        authorId: actor.id,
        text,
        spoilerText: data.spoilerText,
        sensitive,
        visibility,
        language: data.language,
        inReplyToId: index === 0 ? parent?.post.id : ids[index - 1],
        inReplyToAuthorId: index === 0 ? parent?.post.authorId : actor.id,
        quoteOfId: index === 0 ? data.quoteOfId : undefined,
        quotePolicy: data.quotePolicy,
        cardUrl,
        createdAt,
      })
      .returning();
    return [
      insertPost,
      ...entityStatements(ctx, id, extractEntities(text), createdAt),
      ...(cardUrl ? [previewCardStatement(ctx, cardUrl)] : []),
      ...(index > 0
        ? []
        : [
            ...(data.idempotencyKey
              ? [ctx.db.insert(idempotencyKeys).values({ userId: actor.id, key: data.idempotencyKey, postId: id, createdAt })]
              : []),
            ...attachStatements(ctx, id, uploads),
            ...(data.poll ? pollStatements(ctx, id, data.poll, createdAt) : []),
          ]),
    ];
  });
  const before = fromDraft?.statements ?? [];
  let offset = before.length;
  const positions = perPost.map((statements) => (offset += statements.length) - statements.length);
  try {
    const results = await commit(
      ctx,
      [...before, ...perPost.flat()],
      texts.map((text, index) => ({
        type: "post.created",
        payload: { postId: ids[index]!, authorId: actor.id, mentioned: extractEntities(text).usernames },
      })),
    );
    return positions.map((position) => (results[position] as Post[])[0]!);
  } catch (error) {
    const winner =
      data.idempotencyKey && isUniqueConstraintError(error) && (await postByIdempotencyKey(ctx, actor.id, data.idempotencyKey));
    if (winner) return [winner];
    throw attachmentRefusal(error);
  }
}

/**
 * Checks a thread exactly as createThread does, without writing it: a scheduled post is checked when it is scheduled,
 * and again when it is published. Returns the visibility it would have.
 */
export async function checkThread(ctx: DomainContext, first: NewPost, more: string[], draftId?: string): Promise<Visibility> {
  const actor = assertCan(ctx, "create:post:own");
  return (await checkedThread(ctx, actor.id, newPostSchema.parse(first), more, draftId)).visibility;
}

async function postByIdempotencyKey(ctx: DomainContext, authorId: string, key: string): Promise<Post | undefined> {
  const earlier = await ctx.db.query.idempotencyKeys.findFirst({
    where: and(eq(idempotencyKeys.userId, authorId), eq(idempotencyKeys.key, key)),
  });
  return earlier && (await ctx.db.query.posts.findFirst({ where: eq(posts.id, earlier.postId) }));
}

/**
 * What a thread must pass to be published: something to say within the limit in every post, a confirmed author, a
 * parent and a quoted post the author may see and quote, and uploads that are theirs to attach.
 */
async function checkedThread(ctx: DomainContext, authorId: string, data: z.output<typeof newPostSchema>, more: string[], draftId?: string) {
  const texts = [data.text, ...more.map((text) => text.trim())];
  for (const [index, text] of texts.entries()) {
    checkContent(ctx, text, data.spoilerText, {
      hasMedia: index === 0 && data.mediaIds.length > 0,
      position: texts.length > 1 ? index + 1 : undefined,
    });
  }
  const author = await ctx.db.query.users.findFirst({
    where: eq(users.id, authorId),
    columns: { emailVerifiedAt: true, defaultVisibility: true },
  });
  if (!author) throw new DomainError("not_found", "That account does not exist");
  if (!author.emailVerifiedAt) {
    throw new DomainError("forbidden", "Confirm your email address to start posting: we sent you a link when you signed up.");
  }
  const parent = data.inReplyToId ? await visiblePost(ctx, authorId, data.inReplyToId) : undefined;
  if (data.inReplyToId && !parent) throw new DomainError("not_found", "The post you are replying to does not exist");
  if (data.quoteOfId) await checkQuotable(ctx, authorId, data.quoteOfId);
  const uploads = await attachableUploads(ctx, authorId, data.mediaIds, { draftId });
  const sensitive = await markedSensitive(ctx, authorId, data.sensitive, uploads.length > 0);
  return { texts, parent, uploads, sensitive, visibility: data.visibility ?? author.defaultVisibility };
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

/**
 * A post says something (text or media) and fits the instance's limit with its content warning, counted as Mastodon
 * counts (links as 23). Within a thread, the message says which post is at fault.
 */
export function checkContent(ctx: DomainContext, text: string, spoilerText: string, where: { hasMedia: boolean; position?: number }): void {
  const which = where.position === undefined ? "Your post" : `Post ${where.position} of the thread`;
  if (text === "" && !where.hasMedia)
    throw new DomainError("unprocessable", `${which} is empty: write something first`, { fields: { text: "Write something first" } });
  const limit = ctx.config.POST_MAX_CHARACTERS;
  const over = countCharacters(text) + countCharacters(spoilerText) - limit;
  if (over > 0) {
    const characters = over === 1 ? "character" : "characters";
    throw new DomainError("unprocessable", `${which} is ${over} ${characters} over the limit of ${limit}`, {
      fields: { text: `${over} ${characters} over the limit` },
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
          .where(inArray(sql`lower(${tags.name})`, inIds(lowered(hashtags)))),
      ),
    );
  }
  if (usernames.length > 0) {
    statements.push(
      ctx.db.insert(mentions).select(
        ctx.db
          .select({ postId: sql<string>`${postId}`.as("post_id"), userId: users.id })
          .from(users)
          .where(inArray(sql`lower(${users.username})`, inIds(lowered(usernames)))),
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

/** Attaches authors, hashtags, mentions, media, polls and cards to posts in one round trip, keeping the posts' order. */
export async function viewPosts(ctx: DomainContext, rows: Post[]): Promise<PostView[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((post) => post.id);
  const [viewsOf] = await runBatch(ctx, postViewsRead(ctx, postIds));
  return viewsOf(rows);
}

/**
 * The authors, hashtags, mentions, media, polls and cards of the posts `postIds` lists or selects, as a read for a
 * batch; gives what turns those posts' rows into views, in their order. Authors and cards are found through the posts'
 * own rows, so the batch may read those rows too (a repost's original, while hydrating the repost).
 */
export function postViewsRead(ctx: DomainContext, postIds: Ids): BatchRead<(rows: Post[]) => PostView[]> {
  const among = inIds(postIds);
  const statements = [
    ctx.db
      .select(publicUserColumns)
      .from(users)
      .where(inArray(users.id, authorIdsOf(ctx, among))),
    ctx.db
      .select({ postId: postTags.postId, id: tags.id, name: tags.name })
      .from(postTags)
      .innerJoin(tags, eq(tags.id, postTags.tagId))
      .where(inArray(postTags.postId, among)),
    ctx.db
      .select({ postId: mentions.postId, user: publicUserColumns })
      .from(mentions)
      .innerJoin(users, eq(users.id, mentions.userId))
      .where(inArray(mentions.postId, among)),
    ctx.db.select().from(mediaAttachments).where(inArray(mediaAttachments.postId, among)).orderBy(mediaAttachments.position),
    pollRowsOf(ctx, among),
    ctx.db
      .select()
      .from(previewCards)
      .where(
        and(
          inArray(previewCards.url, ctx.db.select({ url: posts.cardUrl }).from(posts).where(inArray(posts.id, among))),
          eq(previewCards.state, "ready"),
        ),
      ),
    // In the same round trip: the few enabled emoji whose :shortcode: the posts contain.
    ctx.db
      .select({ postId: posts.id, shortcode: customEmojis.shortcode, key: customEmojis.key })
      .from(posts)
      .innerJoin(
        customEmojis,
        and(
          eq(customEmojis.disabled, false),
          sql`instr(${posts.text} || ' ' || ${posts.spoilerText}, ':' || ${customEmojis.shortcode} || ':') > 0`,
        ),
      )
      .where(inArray(posts.id, among)),
  ] as const;
  return batchRead(statements, ([authors, tagRows, mentionRows, mediaRows, pollRows, cardRows, emojiRows]) => {
    const authorsById = new Map(authors.map((author) => [author.id, author]));
    const pollsById = pollsByPost(pollRows);
    const cardsByUrl = new Map(cardRows.map((card) => [card.url, card]));
    return (rows) =>
      rows.flatMap((post) => {
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
            emojis: emojiRows.filter((emoji) => emoji.postId === post.id).map(({ shortcode, key }) => ({ shortcode, key })),
          },
        ];
      });
  });
}

/** The authors of the posts `postIds` lists or selects, as a query for `inArray` (their rows may be read in the same batch). */
export function authorIdsOf(ctx: DomainContext, postIds: Ids) {
  return ctx.db
    .select({ id: posts.authorId })
    .from(posts)
    .where(inArray(posts.id, inIds(postIds)));
}
