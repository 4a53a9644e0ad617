import type { Actor, DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { User } from "./users.ts";

/**
 * Permission strings in the Epic Stack's shape, action:entity:access. Roles grant sets of them; code asks for a
 * permission, never for a role, so moving a power between roles is a change here only.
 */
export const permissions = [
  "create:post:own",
  "update:post:own",
  "delete:post:own",
  "delete:post:any",
  "read:report:any",
  "update:report:any",
  "suspend:user:any",
  "read:user:any",
  "read:user:private",
  "approve:user:any",
  "create:invite:any",
  "delete:user:any",
  "update:verified:any",
  "update:role:any",
  "update:instance:any",
  "access:admin",
  "access:moderation",
] as const;

export type Permission = (typeof permissions)[number];

const userPermissions: Permission[] = ["create:post:own", "update:post:own", "delete:post:own"];
const moderatorPermissions: Permission[] = [
  ...userPermissions,
  "delete:post:any",
  "read:report:any",
  "update:report:any",
  "suspend:user:any",
  "read:user:any",
  "approve:user:any",
  "create:invite:any",
  "access:moderation",
];

export const rolePermissions: Record<User["role"], readonly Permission[]> = {
  user: userPermissions,
  moderator: moderatorPermissions,
  admin: permissions,
};

export function can(user: Pick<User, "role"> | null | undefined, permission: Permission): boolean {
  return user ? rolePermissions[user.role].includes(permission) : false;
}

/** Said to a suspended account that tries to change anything (docs/decisions/0049). */
export const SUSPENDED_MESSAGE =
  "Your account is suspended: you can read, export your data and appeal, but not post, like, follow or change anything.";

/**
 * A suspended account may sign in, read, export its data, appeal and leave, and nothing else (ADR 0049): every write
 * that goes through commit() or a permission check asks this first.
 */
export function assertNotSuspended(ctx: DomainContext): void {
  if (ctx.actor?.suspended) throw new DomainError("forbidden", SUSPENDED_MESSAGE, { code: "account_suspended" });
}

/**
 * The acting user, when they hold a permission: the check every privileged command makes, whichever door called it.
 * Without an actor it is a 401 (sign in first), without the permission (or while suspended) a 403.
 */
export function assertCan(ctx: DomainContext, permission: Permission): Actor {
  if (!ctx.actor) throw new DomainError("unauthenticated", "Sign in first");
  assertNotSuspended(ctx);
  if (!can(ctx.actor, permission)) throw new DomainError("forbidden", "You are not allowed to do that", { code: "missing_permission" });
  return ctx.actor;
}
