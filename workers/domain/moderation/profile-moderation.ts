import { and, desc, eq } from "drizzle-orm";
import { moderationDecisions, users } from "#db/schema/index.ts";
import type { User } from "../accounts/users.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { deleteImageIfUnused } from "../media/profile-images.ts";
import { blankProfile } from "../profiles/profile.ts";
import {
  alreadyDecided,
  classify,
  holdingOnLastFailure,
  inputHashOf,
  readImages,
  removalNotice,
  type Delivery,
  type ModerationSubject,
  type Outcome,
} from "./pipeline.ts";

/** Everything a profile says, as the classifiers judge it: its text fields, and its pictures' keys for vision. */
function profileSubject(ctx: DomainContext, user: User): ModerationSubject {
  const pictures = [user.avatarKey, user.headerKey, user.backgroundKey].filter((key): key is string => key !== null);
  return {
    kind: "profile",
    id: user.id,
    accountId: user.id,
    text: [user.displayName, user.bio, user.location, user.website, ...user.fields.map((field) => `${field.name}: ${field.value}`)].join(
      "\n",
    ),
    inputs: pictures,
    images: () => readImages(ctx, pictures),
  };
}

/**
 * A profile change through the pipeline (the moderation queue's `moderate-profile` on `profile.updated`, ADR 0054). A
 * profile whose text and pictures were already judged as they are (a change elsewhere, the verified badge) is not
 * judged again, so a moderator's approval stands. A hold sets `users.profile_moderation_state`, and everyone but the
 * owner then reads a blank profile (publicUserColumns); a removal clears what the owner wrote and chose, and tells
 * them. "Sensitive" marks the pictures (`users.pictures_sensitive`), which everyone else then sees as the defaults
 * until the owner chooses new ones; a profile without pictures has nothing to mark, and the outcome is only recorded.
 * No automatic decision lifts a hold: only a moderator does. Once per event. A failure on the queue's last attempt
 * holds the profile.
 */
export function moderateProfile(
  ctx: DomainContext,
  event: DomainEvent<"profile.updated">,
  delivery: Delivery,
  at = new Date(),
): Promise<Outcome | null> {
  const { userId } = event.payload;
  return holdingOnLastFailure(
    ctx,
    event,
    delivery,
    () => ({
      subject: { kind: "profile", id: userId, accountId: userId },
      statements: [ctx.db.update(users).set({ profileModerationState: "held" }).where(eq(users.id, userId))],
      events: [],
    }),
    () => judgeProfile(ctx, event, delivery, at),
    at,
  );
}

async function judgeProfile(
  ctx: DomainContext,
  event: DomainEvent<"profile.updated">,
  delivery: Delivery,
  at: Date,
): Promise<Outcome | null> {
  if (await alreadyDecided(ctx, event.id)) return null;
  const user = await ctx.db.query.users.findFirst({ where: eq(users.id, event.payload.userId) });
  if (!user) return null;
  const subject = profileSubject(ctx, user);
  if (subject.text.trim() === "" && subject.inputs.length === 0) return null;
  const [last] = await ctx.db
    .select({ inputHash: moderationDecisions.inputHash })
    .from(moderationDecisions)
    .where(and(eq(moderationDecisions.subjectKind, "profile"), eq(moderationDecisions.subjectId, user.id)))
    .orderBy(desc(moderationDecisions.id))
    .limit(1);
  if (last?.inputHash === (await inputHashOf(subject))) return null;

  const result = await classify(ctx, subject, event, delivery, at);
  const notice =
    result.outcome === "remove" ? removalNotice(ctx, { accountId: user.id, kind: "remove_profile", reason: result.reason, at }) : null;
  await commit(
    ctx,
    [
      result.record,
      ...(result.outcome === "hold" ? [ctx.db.update(users).set({ profileModerationState: "held" }).where(eq(users.id, user.id))] : []),
      ...(result.outcome === "sensitive" && subject.inputs.length > 0
        ? [ctx.db.update(users).set({ picturesSensitive: true }).where(eq(users.id, user.id))]
        : []),
      ...(notice
        ? [
            ctx.db
              .update(users)
              .set({ ...blankProfile, profileModerationState: null, updatedAt: at })
              .where(eq(users.id, user.id)),
            notice.statement,
          ]
        : []),
    ],
    notice ? [notice.event] : [],
  );
  if (notice) for (const key of subject.inputs) await deleteImageIfUnused(ctx, key);
  return result.outcome;
}
