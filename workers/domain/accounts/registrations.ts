import { auditLog } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { readInstanceSettings, updateInstanceSettings, type InstanceSettings } from "../instance-settings.ts";
import { usableInvite } from "./invites.ts";
import { assertCan } from "./permissions.ts";

export type RegistrationsMode = InstanceSettings["registrations"];
export const registrationsModes = ["open", "approval", "closed"] as const satisfies readonly RegistrationsMode[];

export const CLOSED_MESSAGE = "Registrations are closed on this server. You can join with an invite link.";

export async function registrationsMode(ctx: DomainContext): Promise<RegistrationsMode> {
  return (await readInstanceSettings(ctx)).registrations;
}

/** Admins open or close sign-ups, or require approval; recorded in the audit log. */
export async function setRegistrationsMode(ctx: DomainContext, mode: RegistrationsMode, at = new Date()): Promise<void> {
  const actor = assertCan(ctx, "update:instance:any");
  await updateInstanceSettings(ctx, { registrations: mode });
  await ctx.db.insert(auditLog).values({
    moderatorId: actor.id,
    action: `registrations_${mode}`,
    targetKind: "settings",
    targetId: "registrations",
    reason: "",
    createdAt: at,
  });
}

/** How a sign-up is let in: at once, or once a moderator approves it; an invite lets it in at once whatever the mode. */
export interface Admission {
  approved: boolean;
  inviteId: string | null;
}

/** Whether someone may sign up now (with this invite code): closed registrations refuse without a usable invite. */
export async function admissionFor(ctx: DomainContext, inviteCode: string | null | undefined): Promise<Admission> {
  if (inviteCode) return { approved: true, inviteId: (await usableInvite(ctx, inviteCode)).id };
  const mode = await registrationsMode(ctx);
  if (mode === "closed") throw new DomainError("forbidden", CLOSED_MESSAGE, { code: "registrations_closed" });
  return { approved: mode === "open", inviteId: null };
}
