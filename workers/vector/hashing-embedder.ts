import { EMBEDDING_DIMENSIONS, normalised, type Embedder } from "./embedder.ts";

/** Words too common to say what a post is about. */
const STOP_WORDS = new Set(
  (
    "a an and are as at be but by for from has have i if in is it its me my no not of on or our so that the their them " +
    "then there they this to was we were what when which who will with you your just about all can do dont im ive"
  ).split(" "),
);

/** A hashtag says more about a post's subject than any one word, so it counts as this many words. */
const HASHTAG_WEIGHT = 3;

/** 32-bit FNV-1a: fast, stable across runs and machines, good enough spread for feature hashing. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The features of a text: its words (lower-cased, links and @mentions left out, stop words dropped) and its hashtags,
 * each hashtag also as a feature of its own so that posts sharing a tag are close even when their words differ.
 */
export function featuresOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const cleaned = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(^|\s)@[\w.-]+/g, " ");
  for (const [, tag] of cleaned.matchAll(/#([\p{L}\p{N}_]+)/gu)) add(`#${tag}`, HASHTAG_WEIGHT);
  for (const word of cleaned.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= 2 && !STOP_WORDS.has(word)) add(word, 1);
  }
  return counts;
}

/**
 * Feature hashing ("the hashing trick"): each feature adds to one of EMBEDDING_DIMENSIONS buckets, with a sign from a
 * second hash so collisions cancel out on average instead of piling up; counts are damped (1 + ln n) so one repeated
 * word does not drown the rest; the result is L2-normalised. Deterministic and offline: the same text gives the same
 * vector on every machine, and texts sharing words and hashtags score high by cosine.
 */
export function hashText(text: string): number[] {
  const values = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const [feature, count] of featuresOf(text)) {
    const bucket = fnv1a(feature) % EMBEDDING_DIMENSIONS;
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    values[bucket] = values[bucket]! + sign * (1 + Math.log(count));
  }
  return normalised(values);
}

export const hashingEmbedder: Embedder = {
  model: "perch-hashing-v1",
  embed: async (texts) => texts.map(hashText),
};
