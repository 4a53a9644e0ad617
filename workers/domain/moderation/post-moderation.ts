import { and, asc, eq, isNull } from "drizzle-orm";
import { mediaAttachments, pollOptions, polls, posts, users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { DomainEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { postSpamSignals, qualityScore } from "./local-rules.ts";
import {
  alreadyDecided,
  classify,
  holdingOnLastFailure,
  picturesToJudge,
  readImages,
  removalNotice,
  type Delivery,
  type Outcome,
} from "./pipeline.ts";

/**
 * Everything a post says, as the classifiers read it: content warning and text, then its poll's options and its media
 * descriptions (alt text), each labelled. Readers see all of it, so a blocked word or an instruction to the model can
 * hide in any of it; all of it goes into Claude's delimited data section as one text.
 */
function postText(post: { spoilerText: string; text: string }, options: { title: string }[], media: { description: string }[]): string {
  const described = media.map((file) => file.description).filter((description) => description.trim() !== "");
  return [
    post.spoilerText,
    post.text,
    ...(options.length > 0 ? ["Poll options:", ...options.map((option) => `- ${option.title}`)] : []),
    ...(described.length > 0 ? ["Media descriptions:", ...described.map((description) => `- ${description}`)] : []),
  ].join("\n");
}

/**
 * A new or edited post through the pipeline (the moderation queue's `moderate-post`): its text with the content
 * warning, poll options and media descriptions (postText), its attachments' pictures for vision (picturesToJudge), and the posts table's spam signals. Hold and removal set
 * `posts.moderation_state`, which `canSeePost` obeys everywhere; removal also tells the author. The post's spam and
 * quality scores are stored for ranking. Once per event. A failure on the queue's last attempt holds the post (a
 * removed one stays removed).
 */
export function moderatePost(
  ctx: DomainContext,
  event: DomainEvent<"post.created" | "post.edited">,
  delivery: Delivery,
  at = new Date(),
): Promise<Outcome | null> {
  const { postId, authorId } = event.payload;
  return holdingOnLastFailure(
    ctx,
    event,
    delivery,
    () => ({
      subject: { kind: "post", id: postId, accountId: authorId },
      statements: [
        ctx.db
          .update(posts)
          .set({ moderationState: "held" })
          .where(and(eq(posts.id, postId), isNull(posts.moderationState))),
      ],
      events: [],
    }),
    () => judgePost(ctx, event, delivery, at),
    at,
  );
}

async function judgePost(
  ctx: DomainContext,
  event: DomainEvent<"post.created" | "post.edited">,
  delivery: Delivery,
  at: Date,
): Promise<Outcome | null> {
  if (await alreadyDecided(ctx, event.id)) return null;
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, event.payload.postId) });
  const author = post && (await ctx.db.query.users.findFirst({ where: eq(users.id, post.authorId), columns: { createdAt: true } }));
  if (!post || !author || post.reblogOfId) return null;
  const attachments = await ctx.db
    .select({
      key: mediaAttachments.key,
      previewKey: mediaAttachments.previewKey,
      type: mediaAttachments.type,
      sizeBytes: mediaAttachments.sizeBytes,
      description: mediaAttachments.description,
    })
    .from(mediaAttachments)
    .where(eq(mediaAttachments.postId, post.id))
    .orderBy(asc(mediaAttachments.position));
  const options = await ctx.db
    .select({ title: pollOptions.title })
    .from(pollOptions)
    .innerJoin(polls, eq(polls.id, pollOptions.pollId))
    .where(eq(polls.postId, post.id))
    .orderBy(asc(pollOptions.position));
  const pictures = picturesToJudge(attachments);
  const result = await classify(
    ctx,
    {
      kind: "post",
      id: post.id,
      accountId: post.authorId,
      text: postText(post, options, attachments),
      signals: await postSpamSignals(ctx, post, author),
      inputs: attachments.map((file) => file.key),
      images: () => readImages(ctx, pictures),
    },
    event,
    delivery,
    at,
  );
  const spamScore = result.scores.spam ?? 0;
  const notice =
    result.outcome === "remove"
      ? removalNotice(ctx, { accountId: post.authorId, kind: "remove_post", postId: post.id, reason: result.reason, at })
      : null;
  await commit(
    ctx,
    [
      result.record,
      ctx.db
        .update(posts)
        .set({
          spamScore,
          qualityScore: qualityScore(post.text, attachments.length > 0, spamScore),
          ...(result.outcome === "sensitive" ? { sensitive: true } : {}),
          ...(result.outcome === "hold" ? { moderationState: "held" as const } : {}),
          ...(result.outcome === "remove" ? { moderationState: "removed" as const } : {}),
        })
        .where(eq(posts.id, post.id)),
      ...(notice ? [notice.statement] : []),
    ],
    notice ? [notice.event] : [],
  );
  return result.outcome;
}
