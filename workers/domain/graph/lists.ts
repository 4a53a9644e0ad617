import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { follows, listMembers, listRepliesPolicies, lists, users } from "#db/schema/index.ts";
import { inIds } from "../batch.ts";
import { chunks } from "../chunks.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { commit } from "../events/outbox.ts";
import { emptyPage, type Page, type PageRequest } from "../pagination.ts";
import { accountPage } from "../profiles/account-page.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { assertNotSuspended } from "../accounts/permissions.ts";

export type List = typeof lists.$inferSelect;

export const listInputSchema = z.object({
  title: z.string().trim().min(1, "Give the list a title").max(100, "Titles are at most 100 characters"),
  repliesPolicy: z.enum(listRepliesPolicies).default("list"),
  exclusive: z.boolean().default(false),
});

export async function createList(ctx: DomainContext, ownerId: string, input: z.input<typeof listInputSchema>): Promise<List> {
  assertNotSuspended(ctx);
  const data = listInputSchema.parse(input);
  const [list] = await ctx.db
    .insert(lists)
    .values({ ownerId, ...data, createdAt: new Date() })
    .returning();
  return list!;
}

/** The owner's list; anyone else's is not found, as if it did not exist. */
export async function ownList(ctx: DomainContext, ownerId: string, listId: string): Promise<List> {
  const list = await ctx.db.query.lists.findFirst({ where: and(eq(lists.id, listId), eq(lists.ownerId, ownerId)) });
  if (!list) throw new DomainError("not_found", "Record not found");
  return list;
}

export async function updateList(
  ctx: DomainContext,
  ownerId: string,
  listId: string,
  input: Partial<z.input<typeof listInputSchema>>,
): Promise<List> {
  assertNotSuspended(ctx);
  const current = await ownList(ctx, ownerId, listId);
  const data = listInputSchema.parse({ ...current, ...input });
  const [list] = await ctx.db.update(lists).set(data).where(eq(lists.id, listId)).returning();
  return list!;
}

export async function deleteList(ctx: DomainContext, ownerId: string, listId: string): Promise<void> {
  await ownList(ctx, ownerId, listId);
  await ctx.db.delete(lists).where(eq(lists.id, listId));
}

export function listsOf(ctx: DomainContext, ownerId: string): Promise<List[]> {
  return ctx.db.select().from(lists).where(eq(lists.ownerId, ownerId)).orderBy(desc(lists.id));
}

export function listMembersOf(ctx: DomainContext, listId: string): Promise<PublicUser[]> {
  return ctx.db
    .select(publicUserColumns)
    .from(listMembers)
    .innerJoin(users, eq(users.id, listMembers.userId))
    .where(eq(listMembers.listId, listId));
}

/**
 * One page of a list's members for the API, the most recently added first. A limit of 0 asks for every member at once,
 * as Mastodon's GET /lists/:id/accounts allows.
 */
export async function listMembersPage(ctx: DomainContext, listId: string, page: PageRequest): Promise<Page<PublicUser>> {
  if (page.limit === 0) return { ...emptyPage<PublicUser>(), items: await listMembersOf(ctx, listId) };
  return accountPage(ctx, listMembers, eq(listMembers.listId, listId), listMembers.userId, page);
}

/** Lists of the owner's that contain an account (Mastodon's GET /accounts/:id/lists). */
export function listsContaining(ctx: DomainContext, ownerId: string, accountId: string): Promise<List[]> {
  return ctx.db
    .select({ list: lists })
    .from(listMembers)
    .innerJoin(lists, eq(lists.id, listMembers.listId))
    .where(and(eq(lists.ownerId, ownerId), eq(listMembers.userId, accountId)))
    .then((rows) => rows.map((row) => row.list));
}

/**
 * Adds accounts to a list; as on Mastodon, only accounts the owner follows may be added. Each addition is a
 * `list.member_added` event, whose handler back-fills the list's timeline with the account's latest posts.
 */
export async function addToList(ctx: DomainContext, ownerId: string, listId: string, accountIds: string[]): Promise<void> {
  await ownList(ctx, ownerId, listId);
  const wanted = [...new Set(accountIds)];
  if (wanted.length === 0) return;
  const followed = await ctx.db
    .select({ id: follows.followeeId })
    .from(follows)
    .where(and(eq(follows.followerId, ownerId), inArray(follows.followeeId, inIds(wanted))));
  if (followed.length !== wanted.length) {
    throw new DomainError("unprocessable", "You can only add accounts you follow to a list");
  }
  const createdAt = new Date();
  // Three bound parameters a row: runs of 30 stay within D1's 100 per statement, all in one batch.
  const inserts = chunks(wanted, 30).map((run) =>
    ctx.db
      .insert(listMembers)
      .values(run.map((userId) => ({ listId, userId, createdAt })))
      .onConflictDoNothing(),
  );
  await commit(
    ctx,
    inserts,
    wanted.map((userId) => ({ type: "list.member_added" as const, payload: { listId, userId } })),
  );
}

/** Removes accounts from a list; each that was in it is a `list.member_removed` event, which empties its posts out. */
export async function removeFromList(ctx: DomainContext, ownerId: string, listId: string, accountIds: string[]): Promise<void> {
  await ownList(ctx, ownerId, listId);
  if (accountIds.length === 0) return;
  const inList = and(eq(listMembers.listId, listId), inArray(listMembers.userId, inIds(accountIds)));
  const members = await ctx.db.select({ id: listMembers.userId }).from(listMembers).where(inList);
  if (members.length === 0) return;
  await commit(
    ctx,
    [ctx.db.delete(listMembers).where(inList)],
    members.map(({ id }) => ({ type: "list.member_removed" as const, payload: { listId, userId: id } })),
  );
}

/** The statement that takes an account out of every list of an owner (when the owner stops following it, as on Mastodon). */
export function leaveListsOf(ctx: DomainContext, ownerId: string, memberId: string) {
  return ctx.db
    .delete(listMembers)
    .where(
      and(
        eq(listMembers.userId, memberId),
        inArray(listMembers.listId, ctx.db.select({ id: lists.id }).from(lists).where(eq(lists.ownerId, ownerId))),
      ),
    );
}
