import type { forYouReasons } from "#db/schema/index.ts";
import { MIN_SIMILARITY } from "../recommendations/vectors.ts";

export type ForYouReason = (typeof forYouReasons)[number];

/** A candidate post with what the ranker knows about it (candidates.ts reads it all in one batch). */
export interface Candidate {
  postId: string;
  authorId: string;
  authorUsername: string;
  createdAt: number;
  favourites: number;
  reblogs: number;
  replies: number;
  quotes: number;
  /** Other people's private dislikes of the post. */
  dislikes: number;
  /** The moderation pipeline's quality score (0 to 1; 1 before it ran): multiplies the score (docs/decisions/0040-moderation-pipeline.md). */
  quality: number;
  hasMedia: boolean;
  tagIds: string[];
  /** Whether the viewer follows the author. */
  following: boolean;
  /** How many accounts the viewer follows liked it, and one of them by name. */
  likedByFollowing: number;
  likedBySample: string | null;
  repostedByFollowing: number;
  repostedBySample: string | null;
  /** A hashtag of the post the viewer follows, by name. */
  followedTag: string | null;
  /** Cosine similarity of the post to the viewer's interest vector (0 when the similar-interests source did not find it). */
  similarity: number;
}

/** What the viewer's own past tells the ranker, per author and hashtag (candidates.ts). */
export interface ViewerSignals {
  /** The viewer's likes, reposts and replies of each author's posts in the last 30 days. */
  interactionsWith: Map<string, number>;
  /** The viewer's "show less like this" per author, and per hashtag of those posts. */
  showLessAuthors: Map<string, number>;
  showLessTags: Map<string, number>;
  /** The viewer's dislikes of each author's posts. */
  dislikedAuthors: Map<string, number>;
}

/**
 * The weights of docs/ranking.md, in one place. Positive signals add up to an interest score that recency decay and
 * the negative signals multiply, so a penalty lowers a post however strong its other signals are.
 */
export const WEIGHTS = {
  like: 1,
  repost: 2,
  reply: 1.5,
  quote: 2,
  otherDislike: -1,
  /** Per doubling of the viewer's interactions with the author. */
  relationship: 1.5,
  following: 1,
  likedByFollowing: 1,
  repostedByFollowing: 1.5,
  followedTag: 1.5,
  /** Per unit of cosine similarity to the viewer's interests above MIN_SIMILARITY (recommendations/vectors.ts). */
  similarInterests: 3,
  media: 0.5,
  /** A post's weight halves every this many hours. */
  halfLifeHours: 12,
  /** Multiplied once per "show less like this" on the author's posts, and once per such post sharing a hashtag. */
  showLessAuthor: 0.5,
  showLessTag: 0.7,
  /** Multiplied once per post of the author the viewer disliked. */
  dislikedAuthor: 0.7,
  /** Interactions with an author in 30 days from which "you often like X's posts" is the reason. */
  frequentInteractions: 3,
} as const;

const log2p = (n: number) => Math.log2(1 + Math.max(0, n));

export interface Scored {
  candidate: Candidate;
  score: number;
  reason: ForYouReason;
  reasonSubject: string | null;
}

/** Scores one candidate and names the strongest reason it is shown. */
export function score(candidate: Candidate, signals: ViewerSignals, now: number): Scored {
  const engagement = log2p(
    WEIGHTS.like * candidate.favourites +
      WEIGHTS.repost * candidate.reblogs +
      WEIGHTS.reply * candidate.replies +
      WEIGHTS.quote * candidate.quotes +
      WEIGHTS.otherDislike * candidate.dislikes,
  );
  const interactions = signals.interactionsWith.get(candidate.authorId) ?? 0;
  const closeness = WEIGHTS.similarInterests * Math.max(0, candidate.similarity - MIN_SIMILARITY);
  const reasons: [ForYouReason, number, string | null][] = [
    ["liked_by_following", WEIGHTS.likedByFollowing * log2p(candidate.likedByFollowing), candidate.likedBySample],
    ["reposted_by_following", WEIGHTS.repostedByFollowing * log2p(candidate.repostedByFollowing), candidate.repostedBySample],
    ["followed_tag", candidate.followedTag ? WEIGHTS.followedTag : 0, candidate.followedTag],
    [
      "frequent_interaction",
      interactions >= WEIGHTS.frequentInteractions ? WEIGHTS.relationship * log2p(interactions) : 0,
      candidate.authorUsername,
    ],
    ["following", candidate.following ? WEIGHTS.following : 0, candidate.authorUsername],
    ["similar_interests", closeness, null],
  ];
  const interest =
    1 +
    engagement +
    WEIGHTS.relationship * log2p(interactions) +
    (candidate.following ? WEIGHTS.following : 0) +
    reasons.slice(0, 3).reduce((sum, [, value]) => sum + value, 0) +
    closeness +
    (candidate.hasMedia ? WEIGHTS.media : 0);
  const ageHours = Math.max(0, now - candidate.createdAt) / 3_600_000;
  const recency = 0.5 ** (ageHours / WEIGHTS.halfLifeHours);
  const sharedShowLessTags = candidate.tagIds.reduce((sum, tag) => sum + (signals.showLessTags.get(tag) ?? 0), 0);
  const penalty =
    WEIGHTS.showLessAuthor ** (signals.showLessAuthors.get(candidate.authorId) ?? 0) *
    WEIGHTS.showLessTag ** sharedShowLessTags *
    WEIGHTS.dislikedAuthor ** (signals.dislikedAuthors.get(candidate.authorId) ?? 0);
  // The reason is the strongest signal of the viewer's own network or interests; without one, the post is here for its engagement.
  const [reason, strength, subject] = reasons.reduce((best, next) => (next[1] > best[1] ? next : best));
  return {
    candidate,
    score: interest * recency * penalty * candidate.quality,
    reason: strength > 0 ? reason : "popular",
    reasonSubject: strength > 0 ? subject : null,
  };
}

/** Best first; ties go to the newer post, so the order never depends on how the candidates were read. */
export function rank(candidates: Candidate[], signals: ViewerSignals, now: number): Scored[] {
  return candidates
    .map((candidate) => score(candidate, signals, now))
    .sort((a, b) => b.score - a.score || (a.candidate.postId < b.candidate.postId ? 1 : -1));
}

/** Any this many consecutive entries of a feed hold at most AUTHOR_CAP posts by one author: so does every page. */
export const DIVERSITY_WINDOW = 20;
export const AUTHOR_CAP = 2;

/** Whether some window of the list has more than AUTHOR_CAP by one author; gives the window's start and that author. */
function firstCrowdedWindow(authors: string[]): { start: number; author: string } | null {
  for (let start = 0; start < authors.length; start++) {
    const counts = new Map<string, number>();
    for (const author of authors.slice(start, start + DIVERSITY_WINDOW)) {
      const count = (counts.get(author) ?? 0) + 1;
      if (count > AUTHOR_CAP) return { start, author };
      counts.set(author, count);
    }
  }
  return null;
}

/**
 * The ranked posts in feed order with the author cap kept: each place takes the best remaining post whose author is
 * not already at the cap among the places before it in the window; what cannot be placed waits for a later batch.
 * `below` is the feed's current top (authors, newest entry first), which the new batch goes on top of: new posts
 * that would crowd a window reaching into it wait too.
 */
export function diversify(ranked: Scored[], below: string[]): Scored[] {
  const chosen: Scored[] = [];
  const remaining = [...ranked];
  for (;;) {
    const recent = chosen.slice(-(DIVERSITY_WINDOW - 1)).map((entry) => entry.candidate.authorId);
    const next = remaining.findIndex((entry) => recent.filter((author) => author === entry.candidate.authorId).length < AUTHOR_CAP);
    if (next === -1) break;
    chosen.push(...remaining.splice(next, 1));
  }
  const context = below.slice(0, DIVERSITY_WINDOW - 1);
  for (;;) {
    const crowded = firstCrowdedWindow([...chosen.map((entry) => entry.candidate.authorId), ...context]);
    if (!crowded) return chosen;
    const window = chosen.slice(crowded.start, crowded.start + DIVERSITY_WINDOW);
    const last = window.findLastIndex((entry) => entry.candidate.authorId === crowded.author);
    if (last === -1) return chosen; // Only older entries crowd it: nothing new to hold back.
    chosen.splice(crowded.start + last, 1);
  }
}
