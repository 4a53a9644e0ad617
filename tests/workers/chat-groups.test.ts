import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversationMembers, conversations } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { deleteAccount } from "#domain/accounts/deletion.ts";
import type { User } from "#domain/accounts/users.ts";
import { follow } from "#domain/graph/follows.ts";
import { acceptRequest, createGroup, setRole } from "#domain/messages/conversations.ts";
import { testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;
const PASSWORD = "a long enough password";
const person = () => makeUser(ctx, { username: `grouper${(count += 1)}`, password: PASSWORD });
const client = { ip: "192.0.2.1", userAgent: "test" };

/** People who follow the owner, so a group they are put in reaches them directly (not as a request). */
async function followersOf(owner: User, how: number) {
  const made: User[] = [];
  for (let index = 0; index < how; index += 1) {
    const member = await person();
    await follow(ctx, member.id, owner.id);
    made.push(member);
  }
  return made;
}

const rolesIn = async (conversationId: string) =>
  Object.fromEntries(
    (await ctx.db.select().from(conversationMembers).where(eq(conversationMembers.conversationId, conversationId))).map((row) => [
      row.userId,
      row.role,
    ]),
  );

describe("a group whose owner deletes their account", () => {
  it("passes to the longest-standing admin, else the longest-standing member, or is dissolved when no one is left", async () => {
    const owner = await person();
    const [first, second, third] = await followersOf(owner, 3);
    const withAdmins = await createGroup(ctx, owner.id, { name: "Admins first", memberIds: [first!.id, second!.id, third!.id] });
    await setRole(ctx, withAdmins.id, owner.id, third!.id, "admin");
    await setRole(ctx, withAdmins.id, owner.id, second!.id, "admin");
    // Joined together: the tie is broken the same way every time, and only admins are considered first.
    const membersOnly = await createGroup(ctx, owner.id, { name: "Members only", memberIds: [first!.id] });
    const stranger = await makeUser(ctx, { username: `grouper${(count += 1)}` });
    const onlyRequests = await createGroup(ctx, owner.id, { name: "Nobody accepted", memberIds: [stranger.id] });
    const alone = await createGroup(ctx, owner.id, { name: "Alone", memberIds: [] });
    const notOwned = await createGroup(ctx, first!.id, { name: "Someone else's", memberIds: [] });
    await acceptRequest(ctx, notOwned.id, first!.id);

    await deleteAccount(ctx, owner, { password: PASSWORD }, client);

    const heirs = await rolesIn(withAdmins.id);
    expect(Object.values(heirs).filter((role) => role === "owner")).toHaveLength(1);
    expect(heirs[first!.id]).toBe("member");
    expect([second!.id, third!.id].map((id) => heirs[id]).sort()).toEqual(["admin", "owner"]);
    expect(await rolesIn(membersOnly.id)).toEqual({ [first!.id]: "owner" });
    const remaining = await ctx.db.select({ id: conversations.id }).from(conversations);
    const ids = remaining.map((row) => row.id);
    expect(ids).toContain(withAdmins.id);
    expect(ids).toContain(notOwned.id);
    expect(ids).not.toContain(alone.id);
    expect(ids).not.toContain(onlyRequests.id);
  });
});
