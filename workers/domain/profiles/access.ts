import { eq, inArray, sql } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import { idListSchema, inAskedOrder } from "../id-lists.ts";
import { batchRead, known, runBatch } from "../batch.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { relationshipsRead, relationshipsWith, type Relationship } from "../graph/relationships.ts";
import { publicUserColumns, type PublicUser } from "./profile.ts";

/**
 * What a viewer may see of a profile:
 * - hidden: nothing, not even that it exists (it blocks the viewer);
 * - limited: name, picture and counts, with a reason (signed-in only, followers only, or blocked by the viewer);
 * - full: everything the account shares.
 */
export type ProfileAccess = { level: "full" } | { level: "limited"; reason: "sign-in" | "followers" | "blocking" } | { level: "hidden" };

export function profileAccess(viewerId: string | null, account: PublicUser, relationship: Relationship | null): ProfileAccess {
  if (viewerId === account.id) return { level: "full" };
  if (relationship?.blockedBy) return { level: "hidden" };
  if (relationship?.blocking) return { level: "limited", reason: "blocking" };
  if (account.profileVisibility === "signed-in" && !viewerId) return { level: "limited", reason: "sign-in" };
  if (account.profileVisibility === "followers" && !relationship?.following) {
    return { level: "limited", reason: viewerId ? "followers" : "sign-in" };
  }
  return { level: "full" };
}

/** Whether the viewer may list the account's followers and follows. */
export function canSeeCollections(viewerId: string | null, account: PublicUser, access: ProfileAccess): boolean {
  return access.level === "full" && (viewerId === account.id || !account.hideCollections);
}

export interface AccountView {
  account: PublicUser;
  relationship: Relationship | null;
  access: ProfileAccess;
}

/**
 * Looks an account up as the viewer may know it, with the viewer's relationship to it in the same round trip. An
 * account that does not exist and one that blocks the viewer are the same to the viewer: not found.
 */
export async function viewAccount(
  ctx: DomainContext,
  viewerId: string | null,
  ref: { id: string } | { username: string },
): Promise<AccountView> {
  const where = "id" in ref ? eq(users.id, ref.id) : sql`lower(${users.username}) = lower(${ref.username.replace(/^@/, "")})`;
  const [[account], relationshipOf] = await runBatch(
    ctx,
    batchRead([ctx.db.select(publicUserColumns).from(users).where(where)] as const, ([rows]) => rows),
    viewerId ? relationshipsRead(ctx, viewerId, ctx.db.select({ id: users.id }).from(users).where(where)) : known(null),
  );
  if (!account) throw new DomainError("not_found", "Record not found");
  const relationship = relationshipOf && viewerId !== account.id ? relationshipOf(account.id) : null;
  const view = accountView(viewerId, account, relationship);
  if (view.access.level === "hidden") throw new DomainError("not_found", "Record not found");
  return view;
}

/**
 * Many accounts by id as the viewer may know them (Mastodon's GET /api/v1/accounts?id[]=), in the order asked for:
 * those that do not exist or block the viewer are left out, as viewAccount would not find them. Asking for none or for
 * too many is refused (idListSchema).
 */
export async function viewAccounts(ctx: DomainContext, viewerId: string | null, ids: string[]): Promise<AccountView[]> {
  const wanted = idListSchema.parse(ids);
  const accounts = await ctx.db.select(publicUserColumns).from(users).where(inArray(users.id, wanted));
  const others = accounts.map((account) => account.id).filter((id) => id !== viewerId);
  const relationships = viewerId ? await relationshipsWith(ctx, viewerId, others) : new Map<string, Relationship>();
  const views = accounts.map((account) => accountView(viewerId, account, relationships.get(account.id) ?? null));
  return inAskedOrder(
    wanted,
    views.filter((view) => view.access.level !== "hidden"),
    (view) => view.account.id,
  );
}

function accountView(viewerId: string | null, account: PublicUser, relationship: Relationship | null): AccountView {
  return { account, relationship, access: profileAccess(viewerId, account, relationship) };
}

/** The account, when it exists and does not block the actor; otherwise not found. */
export async function requireReachable(ctx: DomainContext, actorId: string, targetId: string): Promise<PublicUser> {
  return (await viewAccount(ctx, actorId, { id: targetId })).account;
}

/**
 * The account as the viewer may see it: with limited access, only who it is (name, pictures, counts) remains; the
 * bio, fields, location, website and background are left out. Pages and the API both present this.
 */
export function visibleProfile({ account, access }: Pick<AccountView, "account" | "access">): PublicUser {
  if (access.level === "full") return account;
  return { ...account, bio: "", fields: [], location: "", website: "", backgroundKey: null };
}
