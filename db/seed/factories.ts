import { idAt, newId } from "../ids.ts";
import { mediaAttachments } from "../schema/index.ts";
import { createUser, type NewUser, type User } from "#domain/accounts/users.ts";
import { actingAs, type DomainContext } from "#domain/context.ts";
import { follow } from "#domain/graph/follows.ts";
import type { Relationship } from "#domain/graph/relationships.ts";
import { createPost, type NewPost, type Post } from "#domain/posts/posts.ts";

/**
 * Builders for users, posts and follows with sensible defaults, shared by the demo seed, the benchmark generator and
 * the tests, so that all three make data through the same domain functions a real sign-up or post goes through.
 */
let sequence = 0;

export function userInput(overrides: Partial<NewUser> = {}): NewUser {
  sequence += 1;
  const username = overrides.username ?? `user${sequence}`;
  return {
    username,
    email: `${username.toLowerCase()}@example.test`,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    emailVerified: true,
    ...overrides,
  };
}

export function makeUser(ctx: DomainContext, overrides: Partial<NewUser> = {}): Promise<User> {
  return createUser(ctx, userInput(overrides));
}

/** A post by the author, written as they would write it (the domain acts as them). */
export function makePost(
  ctx: DomainContext,
  author: Pick<User, "id"> & Partial<Pick<User, "role">>,
  overrides: Partial<NewPost> = {},
): Promise<Post> {
  return createPost(actingAs(ctx, { id: author.id, role: author.role ?? "user" }), { text: "Hello from Perch", ...overrides });
}

/**
 * An uploaded picture not yet attached: the row only, for tests that read what a post or message with media does, not
 * the file (nothing is stored in R2).
 */
export async function makePictureRow(ctx: DomainContext, owner: Pick<User, "id">, description = ""): Promise<string> {
  const id = newId();
  await ctx.db.insert(mediaAttachments).values({
    id,
    ownerId: owner.id,
    type: "image",
    contentType: "image/png",
    key: `attachments/${id}/original.png`,
    width: 10,
    height: 10,
    sizeBytes: 100,
    description,
    createdAt: new Date(),
  });
  return id;
}

/** Posts at fixed, increasing times (one minute apart from `start`), with the ids those times imply. */
export async function makePostsAt(ctx: DomainContext, author: Pick<User, "id">, start: number, texts: string[]): Promise<Post[]> {
  const made: Post[] = [];
  for (const [index, text] of texts.entries()) {
    const at = start + index * 60_000;
    made.push(await makePost(ctx, author, { text, id: idAt(at), createdAt: new Date(at) }));
  }
  return made;
}

/** Follows (or, for a locked account, asks to follow) as the follower would. */
export function makeFollow(ctx: DomainContext, follower: Pick<User, "id">, followee: Pick<User, "id">): Promise<Relationship> {
  return follow(ctx, follower.id, followee.id);
}
