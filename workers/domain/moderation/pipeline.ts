import { and, asc, eq } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { mediaAttachments, moderationActions, moderationDecisions, posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent, NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { ClaudeUnavailable, classifyWithClaude, type ClaudeOutcome, type ImageInput } from "./claude.ts";
import { localRules, qualityScore } from "./local-rules.ts";
import type { ModerationSettings, VerdictCategory } from "./policy.ts";
import { aiClassificationOn, readModerationSettings } from "./settings.ts";

type Outcome = (typeof moderationDecisions.$inferInsert)["outcome"];
const OUTCOME_ORDER: Outcome[] = ["allow", "sensitive", "hold", "remove"];
const stronger = (a: Outcome, b: Outcome): Outcome => (OUTCOME_ORDER.indexOf(a) >= OUTCOME_ORDER.indexOf(b) ? a : b);

/** Where a queue delivery stands: on its last attempt a failing classifier must not fail the item again. */
export interface Delivery {
  attempts: number;
  finalAttempt: boolean;
}

/** The strongest outcome any category's score reaches under the instance's thresholds, and the categories that did. */
export function decide(scores: Partial<Record<VerdictCategory, number>>, thresholds: ModerationSettings["thresholds"]) {
  let outcome: Outcome = "allow";
  const triggered: string[] = [];
  for (const [category, score] of Object.entries(scores) as [VerdictCategory, number][]) {
    const threshold = thresholds[category];
    const reached = (["remove", "hold", "sensitive"] as const).find((step) => threshold[step] !== null && score >= threshold[step]);
    if (reached) {
      outcome = stronger(outcome, reached);
      triggered.push(`${category} ${score.toFixed(2)} ≥ ${reached} ${threshold[reached]!.toFixed(2)}`);
    }
  }
  return { outcome, triggered };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Claude's vision reads up to 4 images of at most 3.75 MB each (the Messages API's limit for base64 images). */
const MAX_IMAGES = 4;
const MAX_IMAGE_BYTES = 3_750_000;
const VISION_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;

async function imagesOf(ctx: DomainContext, postId: string): Promise<{ images: ImageInput[]; keys: string[] }> {
  const attachments = await ctx.db
    .select()
    .from(mediaAttachments)
    .where(and(eq(mediaAttachments.postId, postId), eq(mediaAttachments.type, "image")))
    .orderBy(asc(mediaAttachments.position))
    .limit(MAX_IMAGES);
  const images: ImageInput[] = [];
  for (const attachment of attachments) {
    const type = VISION_TYPES.find((known) => known === attachment.contentType);
    if (!type || attachment.sizeBytes > MAX_IMAGE_BYTES) continue;
    const object = await ctx.env.MEDIA.get(attachment.key);
    if (!object) continue;
    const bytes = new Uint8Array(await object.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    images.push({ mediaType: type, base64: btoa(binary) });
  }
  return { images, keys: attachments.map((attachment) => attachment.key) };
}

/**
 * The moderation pipeline for a new or edited post (the moderation queue's handler): the local rules always, then
 * Claude (text and images) when an API key is set. The instance's thresholds turn the scores into an outcome: allow,
 * mark sensitive, hold for review (only the author sees it until a moderator decides) or remove with a notice to the
 * author. A verdict that breaks the contract, or Claude still unavailable on the queue's last attempt, holds the post:
 * never silently allowed. Every classifier's decision is recorded with its model, input hash and reason; the post's
 * spam and quality scores are stored for ranking. Once per event: a redelivered event finds its decision made.
 */
export async function moderatePost(
  ctx: DomainContext,
  event: DomainEvent<"post.created" | "post.edited">,
  delivery: Delivery,
  at = new Date(),
): Promise<Outcome | null> {
  const decided = await ctx.db.query.moderationDecisions.findFirst({ where: eq(moderationDecisions.eventId, event.id) });
  if (decided) return null;
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, event.payload.postId) });
  const author = post && (await ctx.db.query.users.findFirst({ where: eq(users.id, post.authorId), columns: { createdAt: true } }));
  if (!post || !author || post.reblogOfId) return null;
  const settings = await readModerationSettings(ctx);
  const local = await localRules(ctx, post, author, settings);
  const { images, keys } = aiClassificationOn(ctx) ? await imagesOf(ctx, post.id) : { images: [], keys: [] };
  const inputHash = await sha256(JSON.stringify([post.spoilerText, post.text, keys]));
  const ai = aiClassificationOn(ctx) ? await askClaude(ctx, `${post.spoilerText}\n${post.text}`.trim(), images, delivery) : null;

  const scores = { ...local.scores };
  if (ai?.kind === "verdict") {
    for (const [category, score] of Object.entries(ai.scores) as [VerdictCategory, number][]) {
      scores[category] = Math.max(scores[category] ?? 0, score);
    }
  }
  const { outcome: byScore, triggered } = decide(scores, settings.thresholds);
  const outcome = ai && ai.kind !== "verdict" ? stronger(byScore, "hold") : byScore;
  const spamScore = scores.spam ?? 0;
  const reason = [
    ...local.reasons,
    ...(ai?.kind === "verdict" ? [ai.verdict.reason] : ai ? [`Held for a person: ${ai.detail}.`] : []),
    ...(triggered.length ? [`Thresholds reached: ${triggered.join("; ")}.`] : []),
  ].join(" ");

  const decisionRows = [
    {
      subjectKind: "post" as const,
      subjectId: post.id,
      accountId: post.authorId,
      eventId: event.id,
      classifier: "rules",
      model: null,
      inputHash,
      scores: { ...local.scores, ...Object.fromEntries(Object.entries(local.signals).map(([name, weight]) => [`signal:${name}`, weight])) },
      outcome: ai ? byScoreOf(local.scores, settings) : outcome,
      reason: local.reasons.join(" ") || "No local rule matched.",
      createdAt: at,
    },
    ...(ai
      ? [
          {
            subjectKind: "post" as const,
            subjectId: post.id,
            accountId: post.authorId,
            eventId: event.id,
            classifier: images.length ? "claude-text-and-vision" : "claude-text",
            model: ai.kind === "unavailable" ? null : ai.model,
            inputHash,
            scores: ai.kind === "verdict" ? ai.scores : {},
            outcome,
            reason,
            createdAt: at,
          },
        ]
      : []),
  ];
  const actionId = newId(at.getTime());
  const events: NewEvent[] =
    outcome === "remove" ? [{ type: "moderation.action_taken", payload: { actionId, accountId: post.authorId } }] : [];
  await commit(
    ctx,
    [
      ctx.db.insert(moderationDecisions).values(decisionRows),
      ctx.db
        .update(posts)
        .set({
          spamScore,
          qualityScore: qualityScore(post.text, keys.length > 0, spamScore),
          ...(outcome === "sensitive" ? { sensitive: true } : {}),
          ...(outcome === "hold" ? { moderationState: "held" as const } : {}),
          ...(outcome === "remove" ? { moderationState: "removed" as const } : {}),
        })
        .where(eq(posts.id, post.id)),
      ...(outcome === "remove"
        ? [
            ctx.db.insert(moderationActions).values({
              id: actionId,
              accountId: post.authorId,
              moderatorId: null,
              kind: "remove_post",
              postId: post.id,
              reason,
              createdAt: at,
            }),
          ]
        : []),
    ],
    events,
  );
  return outcome;
}

/** What the local rules alone would have decided, recorded beside Claude's decision. */
const byScoreOf = (scores: Partial<Record<VerdictCategory, number>>, settings: ModerationSettings) =>
  decide(scores, settings.thresholds).outcome;

/**
 * Claude's outcome; on a retryable failure, a retry (the error propagates to the queue) unless this is the queue's last
 * attempt, when the failure itself is the outcome and the post is held.
 */
async function askClaude(
  ctx: DomainContext,
  text: string,
  images: ImageInput[],
  delivery: Delivery,
): Promise<ClaudeOutcome | { kind: "unavailable"; detail: string }> {
  try {
    return await classifyWithClaude(ctx, text, images);
  } catch (error) {
    if (!(error instanceof ClaudeUnavailable) || !delivery.finalAttempt) throw error;
    return { kind: "unavailable", detail: `${error.message} after ${delivery.attempts} attempts` };
  }
}
