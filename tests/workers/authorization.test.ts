import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { DomainError } from "#domain/errors.ts";
import { createPost } from "#domain/posts/posts.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { showPost } from "#domain/posts/thread.ts";
import { setVerified } from "#domain/profiles/settings.ts";
import { asUser, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = (role: "user" | "moderator" | "admin" = "user") => makeUser(ctx, { username: `authorised${(count += 1)}`, role });

/** What a refused command threw: its kind and code, as the doors read them. */
async function refusal(command: Promise<unknown>) {
  const error = await command.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { kind: (error as DomainError).kind, code: (error as DomainError).code };
}

describe("authorization in the domain", () => {
  it("refuses a command that needs someone when no one is acting", async () => {
    expect(await refusal(createPost(ctx, { text: "Who wrote this?" }))).toEqual({ kind: "unauthenticated", code: "unauthenticated" });
  });

  it("lets only those with the permission give the verified badge, whichever door asks", async () => {
    const user = await person();
    const admin = await person("admin");
    const target = await person();
    expect(await refusal(setVerified(asUser(user), target.id, true))).toEqual({ kind: "forbidden", code: "missing_permission" });
    await setVerified(asUser(admin), target.id, true);
    expect((await ctx.db.query.users.findFirst({ where: (users, { eq }) => eq(users.id, target.id) }))?.verifiedAt).toBeInstanceOf(Date);
  });

  it("lets people delete their own posts, moderators anyone's, and no one else", async () => {
    const author = await person();
    const stranger = await person();
    const moderator = await person("moderator");
    const post = await makePost(ctx, author, { text: "Mine to delete" });
    expect(await refusal(deletePost(asUser(stranger), post.id))).toEqual({ kind: "forbidden", code: "missing_permission" });
    await showPost(ctx, null, post.id);
    await deletePost(asUser(moderator), post.id);
    expect(await refusal(showPost(ctx, null, post.id))).toMatchObject({ kind: "not_found" });

    const own = await makePost(ctx, author, { text: "Also mine" });
    await deletePost(asUser(author), own.id);
    expect(await refusal(showPost(ctx, null, own.id))).toMatchObject({ kind: "not_found" });
  });
});
