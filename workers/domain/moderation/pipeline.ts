import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newId } from "#db/ids.ts";
import {
  moderationActions,
  moderationDecisions,
  type mediaTypes,
  type messageAttachmentTypes,
  type moderationOutcomes,
  type moderationSubjects,
} from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent, NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { ClaudeUnavailable, classifyWithClaude, type ClaudeOutcome, type ImageInput } from "./claude.ts";
import { localRules } from "./local-rules.ts";
import type { ModerationSettings, VerdictCategory } from "./policy.ts";
import { aiClassificationOn, readModerationSettings } from "./settings.ts";

export type Outcome = (typeof moderationOutcomes)[number];
export type SubjectKind = (typeof moderationSubjects)[number];
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
export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 3_750_000;
const VISION_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;

/** An attachment's files as vision picks from them (a post's and a chat message's have these columns alike). */
export interface AttachedFile {
  type: (typeof mediaTypes)[number] | (typeof messageAttachmentTypes)[number];
  key: string;
  previewKey: string | null;
  sizeBytes: number;
}

/**
 * Which file of each attachment vision judges: a picture (or animated GIF) itself when it is small enough to send,
 * else its preview; a video by its poster (the preview), when it was sent with one. A document has nothing to look at.
 */
export function picturesToJudge(files: AttachedFile[]): string[] {
  return files.flatMap((file) => {
    const picture = file.type === "image" || file.type === "gifv";
    const key = picture && file.sizeBytes <= MAX_IMAGE_BYTES ? file.key : file.type === "file" ? null : file.previewKey;
    return key ? [key] : [];
  });
}

/** Images from R2 for Claude's vision (a post's attachments, a profile's pictures): those of a type and size it reads. */
export async function readImages(ctx: DomainContext, keys: string[]): Promise<ImageInput[]> {
  const images: ImageInput[] = [];
  for (const key of keys.slice(0, MAX_IMAGES)) {
    const object = await ctx.env.MEDIA.get(key);
    if (!object) continue;
    const type = VISION_TYPES.find((known) => known === object.httpMetadata?.contentType);
    if (!type || object.size > MAX_IMAGE_BYTES) {
      await object.body.cancel();
      continue;
    }
    const bytes = new Uint8Array(await object.arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    images.push({ mediaType: type, base64: btoa(binary) });
  }
  return images;
}

/** Something a member wrote, as the classifiers judge it: a post, a profile or a chat message. */
export interface ModerationSubject {
  kind: SubjectKind;
  id: string;
  accountId: string;
  /** All its text, as one string. */
  text: string;
  /** Spam signals only this kind of subject can measure (a post's burst and copies); the text's own are added. */
  signals?: Record<string, number>;
  /** What else the classifiers read (attachment or picture keys): hashed with the text into each decision. */
  inputs: string[];
  /** Its images for Claude's vision, read only when Claude takes part. */
  images?: () => Promise<ImageInput[]>;
}

/** The SHA-256 of everything the classifiers read of a subject, stored with each decision. */
export const inputHashOf = (subject: Pick<ModerationSubject, "text" | "inputs">) => sha256(JSON.stringify([subject.text, subject.inputs]));

/** What the classifiers decided, and the decision rows to write in the same batch as what the outcome does. */
export interface Classification {
  outcome: Outcome;
  scores: Partial<Record<VerdictCategory, number>>;
  reason: string;
  record: ReturnType<typeof decisionStatement>;
}

const decisionStatement = (ctx: DomainContext, rows: (typeof moderationDecisions.$inferInsert)[]) =>
  ctx.db.insert(moderationDecisions).values(rows);

/** Whether an event was already judged: a redelivered event finds its decision rows and does nothing. */
export async function alreadyDecided(ctx: DomainContext, eventId: string): Promise<boolean> {
  return Boolean(
    await ctx.db.query.moderationDecisions.findFirst({ where: eq(moderationDecisions.eventId, eventId), columns: { id: true } }),
  );
}

/**
 * The moderation pipeline's one run over anything a member wrote (docs/decisions/0040, 0054): the local rules always,
 * then Claude (text, and images through vision) when an API key is set. The instance's thresholds turn the scores into
 * an outcome: allow, mark sensitive, hold for review or remove. A verdict that breaks the contract, or Claude still
 * unavailable on the queue's last attempt, holds the subject: never silently allowed; before the last attempt an
 * unavailable Claude throws, so the queue retries (any other failure on the last attempt: holdingOnLastFailure). Each classifier's decision is a row with its model, the hash of its
 * inputs and its reason; the caller writes them with what the outcome does to the subject.
 */
export async function classify(
  ctx: DomainContext,
  subject: ModerationSubject,
  event: DomainEvent,
  delivery: Delivery,
  at = new Date(),
): Promise<Classification> {
  const settings = await readModerationSettings(ctx);
  const local = localRules(subject.text, settings, subject.signals);
  const aiOn = aiClassificationOn(ctx);
  const images = aiOn && subject.images ? await subject.images() : [];
  const inputHash = await inputHashOf(subject);
  const ai = aiOn ? await askClaude(ctx, subject.kind, subject.text.trim(), images, delivery) : null;

  const scores = { ...local.scores };
  if (ai?.kind === "verdict") {
    for (const [category, score] of Object.entries(ai.scores) as [VerdictCategory, number][]) {
      scores[category] = Math.max(scores[category] ?? 0, score);
    }
  }
  const { outcome: byScore, triggered } = decide(scores, settings.thresholds);
  const outcome = ai && ai.kind !== "verdict" ? stronger(byScore, "hold") : byScore;
  const reason = [
    ...local.reasons,
    ...(ai?.kind === "verdict" ? [ai.verdict.reason] : ai ? [`Held for a person: ${ai.detail}.`] : []),
    ...(triggered.length ? [`Thresholds reached: ${triggered.join("; ")}.`] : []),
  ].join(" ");

  const common = {
    subjectKind: subject.kind,
    subjectId: subject.id,
    accountId: subject.accountId,
    eventId: event.id,
    inputHash,
    createdAt: at,
  };
  const rows = [
    {
      ...common,
      classifier: "rules",
      model: null,
      scores: { ...local.scores, ...Object.fromEntries(Object.entries(local.signals).map(([name, weight]) => [`signal:${name}`, weight])) },
      // Beside Claude's decision, the rules' row says what they alone would have decided.
      outcome: ai ? decide(local.scores, settings.thresholds).outcome : outcome,
      reason: local.reasons.join(" ") || "No local rule matched.",
    },
    ...(ai
      ? [
          {
            ...common,
            classifier: images.length ? "claude-text-and-vision" : "claude-text",
            model: ai.kind === "unavailable" ? null : ai.model,
            scores: ai.kind === "verdict" ? ai.scores : {},
            outcome,
            reason,
          },
        ]
      : []),
  ];
  return { outcome, scores, reason, record: decisionStatement(ctx, rows) };
}

/**
 * Claude's outcome; on a retryable failure, a retry (the error propagates to the queue) unless this is the queue's last
 * attempt, when the failure itself is the outcome and the subject is held.
 */
async function askClaude(
  ctx: DomainContext,
  kind: SubjectKind,
  text: string,
  images: ImageInput[],
  delivery: Delivery,
): Promise<ClaudeOutcome | { kind: "unavailable"; detail: string }> {
  try {
    return await classifyWithClaude(ctx, kind, text, images);
  } catch (error) {
    if (!(error instanceof ClaudeUnavailable) || !delivery.finalAttempt) throw error;
    return { kind: "unavailable", detail: `${error.message} after ${delivery.attempts} attempts` };
  }
}

/** What holding a subject writes when the pipeline could not judge it: its own hold, and who must hear of it. */
export interface FailureHold {
  subject: { kind: SubjectKind; id: string; accountId: string };
  statements: BatchItem<"sqlite">[];
  events: NewEvent[];
}

/**
 * The pipeline's last word (docs/decisions/0040): a moderation job that still throws on the queue's last attempt, for
 * any reason (R2 or D1 failing, a bug, an error from the SDK that is not the API's), holds its subject for a person
 * instead of being dead-lettered with the subject left visible and never judged. The hold is a decision row whose
 * reason names the failure, so moderators see why the item waits; its input hash is the event's, since what the
 * classifiers would have read could not be. Before the last attempt the error propagates and the queue retries. A job
 * that failed after its decision was written (a clean-up after the commit) has nothing left to hold: its error goes on
 * to the dead letters.
 */
export async function holdingOnLastFailure(
  ctx: DomainContext,
  event: DomainEvent,
  delivery: Delivery,
  hold: () => FailureHold,
  judge: () => Promise<Outcome | null>,
  at = new Date(),
): Promise<Outcome | null> {
  try {
    return await judge();
  } catch (error) {
    if (!delivery.finalAttempt || (await alreadyDecided(ctx, event.id))) throw error;
    const { subject, statements, events } = hold();
    // Moderators read this: the error's kind and first line only, as a driver's message may quote a query's values.
    const detail = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0]!.slice(0, 300);
    await commit(
      ctx,
      [
        decisionStatement(ctx, [
          {
            subjectKind: subject.kind,
            subjectId: subject.id,
            accountId: subject.accountId,
            eventId: event.id,
            classifier: "failure",
            model: null,
            inputHash: await sha256(JSON.stringify([event.type, event.payload])),
            scores: {},
            outcome: "hold",
            reason: `Held for a person: the pipeline failed on all ${delivery.attempts} attempts (${detail}), so nothing judged it.`,
            createdAt: at,
          },
        ]),
        ...statements,
      ],
      events,
    );
    return "hold";
  }
}

/**
 * What an automatic removal writes besides the subject's own change: the action its owner is told of (and may appeal)
 * and the event whose handler sends the moderation_warning.
 */
export function removalNotice(
  ctx: DomainContext,
  removal: {
    accountId: string;
    kind: "remove_post" | "remove_profile" | "remove_message";
    postId?: string;
    messageId?: string;
    reason: string;
    at: Date;
  },
) {
  const actionId = newId(removal.at.getTime());
  return {
    statement: ctx.db.insert(moderationActions).values({
      id: actionId,
      accountId: removal.accountId,
      moderatorId: null,
      kind: removal.kind,
      postId: removal.postId ?? null,
      messageId: removal.messageId ?? null,
      reason: removal.reason,
      createdAt: removal.at,
    }),
    event: { type: "moderation.action_taken", payload: { actionId, accountId: removal.accountId } } satisfies NewEvent,
  };
}
