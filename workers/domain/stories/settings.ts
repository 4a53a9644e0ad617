import { and, asc, count, eq, sql } from "drizzle-orm";
import { closeFriends, storyHiddenFrom, storyItems, storyMutes, storySettings, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { eitherBlocks } from "../graph/relationships.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { storyLimits } from "./limits.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

/**
 * The lists that shape who sees whose stories, each owned by one person and read only by them: close friends, people
 * the story is hidden from, and accounts whose stories are muted.
 */
const storyLists = {
  "close-friends": { table: closeFriends, owner: closeFriends.ownerId, member: closeFriends.friendId, memberColumn: "friendId" },
  hidden: { table: storyHiddenFrom, owner: storyHiddenFrom.ownerId, member: storyHiddenFrom.hiddenId, memberColumn: "hiddenId" },
  muted: { table: storyMutes, owner: storyMutes.muterId, member: storyMutes.mutedId, memberColumn: "mutedId" },
} as const;

export type StoryListName = keyof typeof storyLists;

/** The people on one of your story lists, by username. */
export async function storyListMembers(ctx: DomainContext, ownerId: string, list: StoryListName): Promise<PublicUser[]> {
  const { table, owner, member } = storyLists[list];
  return ctx.db
    .select(publicUserColumns)
    .from(table)
    .innerJoin(users, eq(users.id, member))
    .where(eq(owner, ownerId))
    .orderBy(asc(users.username));
}

/**
 * Puts someone on one of your lists (again changes nothing). Someone who blocks you, or whom you block, is not found:
 * blocked people never see your stories anyway.
 */
export async function addToStoryList(ctx: DomainContext, ownerId: string, list: StoryListName, memberId: string): Promise<void> {
  assertNotSuspended(ctx);
  if (memberId === ownerId) throw new DomainError("unprocessable", "That is you");
  const exists = await ctx.db.query.users.findFirst({ where: eq(users.id, memberId), columns: { id: true } });
  if (!exists || (await eitherBlocks(ctx, ownerId, memberId))) throw new DomainError("not_found", "Record not found");
  const { table, owner } = storyLists[list];
  if (list === "close-friends") {
    const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(table).where(eq(owner, ownerId));
    if (total >= storyLimits.closeFriends) throw new DomainError("unprocessable", `At most ${storyLimits.closeFriends} close friends`);
  }
  const values =
    list === "close-friends"
      ? ctx.db.insert(closeFriends).values({ ownerId, friendId: memberId, createdAt: new Date() })
      : list === "hidden"
        ? ctx.db.insert(storyHiddenFrom).values({ ownerId, hiddenId: memberId, createdAt: new Date() })
        : ctx.db.insert(storyMutes).values({ muterId: ownerId, mutedId: memberId, createdAt: new Date() });
  await values.onConflictDoNothing();
}

export async function removeFromStoryList(ctx: DomainContext, ownerId: string, list: StoryListName, memberId: string): Promise<void> {
  const { table, owner, member } = storyLists[list];
  await ctx.db.delete(table).where(and(eq(owner, ownerId), eq(member, memberId)));
}

/** Whether expired items are kept in your private archive (on unless turned off). */
export async function storyArchiveOn(ctx: DomainContext, userId: string): Promise<boolean> {
  const row = await ctx.db.query.storySettings.findFirst({ where: eq(storySettings.userId, userId) });
  return row?.archive ?? true;
}

/**
 * Turns the archive on or off. Off empties it in the same batch: expired items no highlight keeps lose their files
 * within the hour (expireStories) and their rows after the viewers' 48 hours.
 */
export async function setStoryArchive(ctx: DomainContext, userId: string, archive: boolean): Promise<void> {
  assertNotSuspended(ctx);
  await ctx.db.batch([
    ctx.db.insert(storySettings).values({ userId, archive }).onConflictDoUpdate({ target: storySettings.userId, set: { archive } }),
    ...(archive ? [] : [ctx.db.update(storyItems).set({ archived: false }).where(eq(storyItems.authorId, userId))]),
  ]);
}

/** Puts someone on one of your lists by their username (as typed in a form, with or without the @). */
export async function addToStoryListByUsername(ctx: DomainContext, ownerId: string, list: StoryListName, username: string): Promise<void> {
  const name = username.trim().replace(/^@/, "");
  const found = name
    ? await ctx.db.query.users.findFirst({ where: sql`lower(${users.username}) = lower(${name})`, columns: { id: true } })
    : undefined;
  if (!found) {
    const message = name ? `There is no @${name}` : "Enter a username";
    throw new DomainError(name ? "not_found" : "unprocessable", message, { fields: { username: message } });
  }
  await addToStoryList(ctx, ownerId, list, found.id);
}
