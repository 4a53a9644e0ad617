import { and, count, countDistinct, eq, gte, lte, ne } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { Post } from "../posts/posts.ts";
import type { ModerationSettings, VerdictCategory } from "./policy.ts";

/** What the fast local rules found: category scores (0 to 1), the spam signals behind them, and why. */
export interface LocalVerdict {
  scores: Partial<Record<VerdictCategory, number>>;
  /** Each spam signal that fired, with its weight: stored with the decision so moderators see why. */
  signals: Record<string, number>;
  reasons: string[];
}

const LINK = /https?:\/\/([^\s/?#]+)[^\s]*/gi;
const MENTION = /(^|[^\w@])@[a-z0-9_]{1,30}/gi;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Spam signals (docs/decisions/0040-moderation-pipeline.md): thresholds above which a post looks automated or abusive. */
export const SPAM_SIGNALS = {
  /** More links than a person usually puts in one post. */
  manyLinks: 4,
  /** Mentions enough to be mass-pinging. */
  manyMentions: 5,
  /** An account younger than a day posting this many times within ten minutes. */
  burstPosts: 10,
  /** Other accounts that posted the same text within the hour. */
  copiedBy: 2,
} as const;

/**
 * The server's own rules, before any model, over any text a member wrote (a post, a profile, a chat message): blocked
 * words and link domains, many links, many mentions, plus the spam signals only the caller can measure (a post's burst
 * and copies, postSpamSignals). Pure: the caller reads whatever its signals need.
 */
export function localRules(text: string, settings: ModerationSettings, signals: Record<string, number> = {}): LocalVerdict {
  const verdict: LocalVerdict = { scores: {}, signals: { ...signals }, reasons: [] };
  const blockedWord = settings.blockedWords.find((word) =>
    new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}(?![\\p{L}\\p{N}_])`, "iu").test(text),
  );
  if (blockedWord) {
    verdict.scores.blocked = 1;
    verdict.reasons.push(`Contains the blocked word “${blockedWord}”.`);
  }
  const domains = [...text.matchAll(LINK)].map((match) => match[1]!.toLowerCase());
  const blockedDomain = domains.find((domain) =>
    settings.blockedDomains.some((blocked) => domain === blocked || domain.endsWith(`.${blocked}`)),
  );
  if (blockedDomain) {
    verdict.scores.blocked = 1;
    verdict.reasons.push(`Links to the blocked domain ${blockedDomain}.`);
  }
  if (domains.length >= SPAM_SIGNALS.manyLinks)
    verdict.signals.manyLinks = Math.min(0.9, 0.5 + 0.1 * (domains.length - SPAM_SIGNALS.manyLinks));
  const mentions = [...text.matchAll(MENTION)].length;
  if (mentions >= SPAM_SIGNALS.manyMentions)
    verdict.signals.manyMentions = Math.min(0.9, 0.6 + 0.05 * (mentions - SPAM_SIGNALS.manyMentions));
  const spam = Math.max(0, ...Object.values(verdict.signals));
  if (spam > 0) {
    verdict.scores.spam = spam;
    verdict.reasons.push(`Spam signals: ${Object.keys(verdict.signals).join(", ")}.`);
  }
  return verdict;
}

/**
 * The spam signals of a post that need the posts table: an account younger than a day posting fast, and the same text
 * from several other accounts within the hour. Two counts.
 */
export async function postSpamSignals(
  ctx: DomainContext,
  post: Pick<Post, "authorId" | "text" | "createdAt">,
  author: { createdAt: Date },
): Promise<Record<string, number>> {
  const signals: Record<string, number> = {};
  const since = new Date(post.createdAt.getTime() - 10 * 60_000);
  if (post.createdAt.getTime() - author.createdAt.getTime() < 86_400_000) {
    const [recent] = await ctx.db
      .select({ n: count() })
      .from(posts)
      .where(and(eq(posts.authorId, post.authorId), gte(posts.createdAt, since), lte(posts.createdAt, post.createdAt)));
    if ((recent?.n ?? 0) >= SPAM_SIGNALS.burstPosts) signals.newAccountBurst = 0.6;
  }
  if (post.text.trim().length >= 20) {
    const [copies] = await ctx.db
      .select({ n: countDistinct(posts.authorId) })
      .from(posts)
      .where(
        and(
          eq(posts.text, post.text),
          ne(posts.authorId, post.authorId),
          gte(posts.createdAt, new Date(post.createdAt.getTime() - 3_600_000)),
          // Only copies made before it: a post handled late (or backdated demo data) is not judged by what came after.
          lte(posts.createdAt, post.createdAt),
        ),
      );
    if ((copies?.n ?? 0) >= SPAM_SIGNALS.copiedBy) signals.copiedText = 0.8;
  }
  return signals;
}

/**
 * A post's quality (0 to 1) for ranking: starts at 1, less its spam score, shouting (mostly capitals), and near-empty
 * text without media. Documented in docs/decisions/0040-moderation-pipeline.md with the spam signals.
 */
export function qualityScore(text: string, hasMedia: boolean, spamScore: number): number {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const shouting = letters.length > 20 && letters.replace(/[^\p{Lu}]/gu, "").length / letters.length > 0.7 ? 0.2 : 0;
  const empty = text.trim().length < 5 && !hasMedia ? 0.2 : 0;
  return Math.max(0, Math.min(1, 1 - 0.6 * spamScore - shouting - empty));
}
