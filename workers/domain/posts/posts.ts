import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "#db/ids.ts";
import { mentions, posts, postTags, tags, users, visibilities } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { countCharacters, extractEntities } from "../rich-text.ts";

export type Post = typeof posts.$inferSelect;
export type Visibility = (typeof visibilities)[number];
export type Tag = Pick<typeof tags.$inferSelect, "id" | "name">;

/** A post with everything needed to show it: its author, its hashtags and the people it mentions. */
export interface PostView {
  post: Post;
  author: PublicUser;
  tags: Tag[];
  mentions: PublicUser[];
}

export const newPostSchema = z.object({
  authorId: z.string(),
  text: z.string().trim().min(1, "Write something first"),
  spoilerText: z.string().trim().max(500).default(""),
  sensitive: z.boolean().default(false),
  visibility: z.enum(visibilities).default("public"),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "Use a two- or three-letter ISO 639 language code")
    .optional(),
  inReplyToId: z.string().optional(),
  /** Seeds and fixtures fix the id and creation time; real posts take a new id and "now". */
  id: z.string().optional(),
  createdAt: z.date().optional(),
});

export type NewPost = z.input<typeof newPostSchema>;

/**
 * Writes a post with its hashtags and mentions in one batch (one transaction). Counters on the author and on the post
 * replied to are kept by triggers in the same transaction (db/migrations/0001_counters.sql).
 */
export async function createPost(ctx: DomainContext, input: NewPost): Promise<Post> {
  const data = newPostSchema.parse(input);
  const limit = ctx.config.POST_MAX_CHARACTERS;
  const length = countCharacters(data.text) + countCharacters(data.spoilerText);
  if (length > limit) {
    throw new DomainError("unprocessable", `Posts are at most ${limit} characters (this one has ${length})`, {
      text: `${length - limit} characters over the limit`,
    });
  }
  const author = await ctx.db.query.users.findFirst({ where: eq(users.id, data.authorId), columns: { emailVerifiedAt: true } });
  if (!author) throw new DomainError("not_found", "That account does not exist");
  if (!author.emailVerifiedAt) {
    throw new DomainError("forbidden", "Confirm your email address to start posting: we sent you a link when you signed up.");
  }
  const parent = data.inReplyToId
    ? await ctx.db.query.posts.findFirst({ where: eq(posts.id, data.inReplyToId), columns: { id: true, authorId: true } })
    : undefined;
  if (data.inReplyToId && !parent) throw new DomainError("not_found", "The post you are replying to does not exist");

  const createdAt = data.createdAt ?? new Date();
  const id = data.id ?? newId(createdAt.getTime());
  const { hashtags, usernames } = extractEntities(data.text);

  const insertPost = ctx.db
    .insert(posts)
    .values({
      id,
      authorId: data.authorId,
      text: data.text,
      spoilerText: data.spoilerText,
      sensitive: data.sensitive,
      visibility: data.visibility,
      language: data.language,
      inReplyToId: parent?.id,
      inReplyToAuthorId: parent?.authorId,
      createdAt,
    })
    .returning();
  const insertTags = hashtags.map((name, index) =>
    ctx.db
      .insert(tags)
      .values({ id: newId(createdAt.getTime() + index), name, createdAt })
      .onConflictDoNothing(),
  );
  const lowered = hashtags.map((name) => name.toLowerCase());
  const linkTags = ctx.db
    .insert(postTags)
    .select(ctx.db.select({ postId: sql<string>`${id}`.as("post_id"), tagId: tags.id }).from(tags).where(inArray(sql`lower(${tags.name})`, lowered)));
  const linkMentions = ctx.db.insert(mentions).select(
    ctx.db
      .select({ postId: sql<string>`${id}`.as("post_id"), userId: users.id })
      .from(users)
      .where(inArray(sql`lower(${users.username})`, usernames.map((name) => name.toLowerCase()))),
  );

  const [[post]] = await ctx.db.batch([
    insertPost,
    ...insertTags,
    ...(hashtags.length > 0 ? [linkTags] : []),
    ...(usernames.length > 0 ? [linkMentions] : []),
  ]);
  if (!post) throw new Error("Inserting a post returned no row");
  return post;
}

/** Attaches authors, hashtags and mentions to posts with three queries in one round trip, keeping the posts' order. */
export async function viewPosts(ctx: DomainContext, rows: Post[]): Promise<PostView[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((post) => post.id);
  const authorIds = [...new Set(rows.map((post) => post.authorId))];
  const [authors, tagRows, mentionRows] = await ctx.db.batch([
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
  ]);
  const authorsById = new Map(authors.map((author) => [author.id, author]));
  return rows.flatMap((post) => {
    const author = authorsById.get(post.authorId);
    if (!author) return [];
    return [
      {
        post,
        author,
        tags: tagRows.filter((tag) => tag.postId === post.id).map(({ id, name }) => ({ id, name })),
        mentions: mentionRows.filter((mention) => mention.postId === post.id).map((mention) => mention.user),
      },
    ];
  });
}
