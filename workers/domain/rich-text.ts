/**
 * Post text and bios are stored as the author wrote them. This tokenizer finds mentions, hashtags and links once, for
 * every door: the API renders the tokens to Mastodon's HTML, pages render them as React elements, and posts store the
 * hashtags and mentions it finds.
 */
export type Token =
  | { type: "text"; text: string }
  | { type: "mention"; username: string; text: string }
  | { type: "hashtag"; tag: string; text: string }
  | { type: "link"; url: string; text: string };

/** Paragraphs are separated by blank lines; a paragraph is lines, a line is tokens. */
export type RichText = Token[][][];

const MENTION = String.raw`@([A-Za-z0-9_]{1,30})(?![A-Za-z0-9_@.]*[A-Za-z0-9_])`;
const HASHTAG = String.raw`#([\p{L}\p{M}\p{N}_]{0,99}[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]{0,99})`;
const LINK = String.raw`https?://[^\s<>"'\u00A0]+`;
const PATTERN = new RegExp(`(?<![\\p{L}\\p{N}_/&#@])(?:${MENTION}|${HASHTAG})|(?<![\\p{L}\\p{N}_])(${LINK})`, "gu");

/** Punctuation that ends a sentence is not part of the link before it, nor is an unmatched closing bracket. */
function trimLink(candidate: string): string {
  let url = candidate.replace(/[.,;:!?'"*]+$/u, "");
  while (url.endsWith(")") && count(url, "(") < count(url, ")")) url = url.slice(0, -1);
  return url;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of line.matchAll(PATTERN)) {
    const [whole, username, tag, rawLink] = match;
    const start = match.index;
    let text = whole;
    let token: Token;
    if (username) token = { type: "mention", username, text };
    else if (tag) token = { type: "hashtag", tag, text };
    else {
      const url = trimLink(rawLink ?? whole);
      if (!URL.canParse(url)) continue;
      text = url;
      token = { type: "link", url, text };
    }
    if (start > last) tokens.push({ type: "text", text: line.slice(last, start) });
    tokens.push(token);
    last = start + text.length;
  }
  if (last < line.length) tokens.push({ type: "text", text: line.slice(last) });
  return tokens;
}

export function parseRichText(source: string): RichText {
  return source
    .replace(/\r\n?/g, "\n")
    .trim()
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== "")
    .map((paragraph) => paragraph.split("\n").map(tokenizeLine));
}

/** Distinct hashtags and mentioned usernames, in order of first appearance, compared without regard to case. */
export function extractEntities(source: string): { hashtags: string[]; usernames: string[] } {
  const hashtags = new Map<string, string>();
  const usernames = new Map<string, string>();
  for (const token of parseRichText(source).flat(2)) {
    if (token.type === "hashtag" && !hashtags.has(token.tag.toLowerCase())) hashtags.set(token.tag.toLowerCase(), token.tag);
    if (token.type === "mention" && !usernames.has(token.username.toLowerCase())) {
      usernames.set(token.username.toLowerCase(), token.username);
    }
  }
  return { hashtags: [...hashtags.values()], usernames: [...usernames.values()] };
}

/** Whether a name (without its #) is a whole hashtag: what `#name` in a post would make a hashtag of. */
export function isHashtagName(name: string): boolean {
  return extractEntities(`#${name}`).hashtags[0] === name;
}

/** Every link counts as this many characters, whatever its length, as on Mastodon and Twitter. */
export const CHARACTERS_RESERVED_PER_URL = 23;

/** Characters as Mastodon counts them: code points, with each link counted as CHARACTERS_RESERVED_PER_URL. */
export function countCharacters(source: string): number {
  let total = [...source].length;
  for (const token of parseRichText(source).flat(2)) {
    if (token.type === "link") total += CHARACTERS_RESERVED_PER_URL - [...token.text].length;
  }
  return total;
}
