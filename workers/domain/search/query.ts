import { DomainError } from "../errors.ts";
import { isHashtagName } from "../rich-text.ts";

/** Longer queries are refused (issue 16): nobody types more, and every term costs the index a lookup. */
export const MAX_QUERY_LENGTH = 500;

/** A condition on posts that an operator names; `negated` when written with a leading minus (-from:bob). */
export type PostFilter =
  | { kind: "from" | "to" | "mention"; username: string; negated: boolean }
  | { kind: "tag"; tag: string; negated: boolean }
  | { kind: "has"; what: "media" | "poll" | "link"; negated: boolean }
  | { kind: "replies"; negated: boolean }
  | { kind: "min"; what: "favourites" | "reblogs" | "replies"; count: number; negated: boolean }
  | { kind: "since" | "until"; at: Date; negated: boolean }
  | { kind: "lang"; language: string; negated: boolean };

/** Whose history a search looks in instead of everyone's posts: the searcher's likes or bookmarks (`in:likes`). */
export type SearchScope = "likes" | "bookmarks";

/** A search box's text, understood: words and phrases the posts must hold or must not, and the operators' filters. */
export interface ParsedQuery {
  /** Words and quoted phrases every result holds, as written (each becomes one quoted FTS5 string). */
  include: string[];
  /** Words and quoted phrases no result holds. */
  exclude: string[];
  filters: PostFilter[];
  scope: SearchScope | null;
}

/** Refuses a query longer than MAX_QUERY_LENGTH: every kind of search checks it, whatever it then reads. */
export function checkQueryLength(raw: string): void {
  if (raw.length > MAX_QUERY_LENGTH) refuse(`A search can be at most ${MAX_QUERY_LENGTH} characters`);
}

/** A word, or a "quoted phrase" (its closing quote optional), each maybe negated with a leading minus. */
const TOKEN = /(-?)"([^"]*)"?|(\S+)/gu;
const USERNAME = /^[A-Za-z0-9_]{1,30}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LANGUAGE = /^[a-z]{2,3}$/;
/** A term the index can hold: FTS5's unicode61 tokenizer keeps only letters, marks and digits. */
const INDEXABLE = /[\p{L}\p{N}]/u;

const refuse = (message: string): never => {
  throw new DomainError("unprocessable", message, { code: "invalid_search_query" });
};

/**
 * Reads a query as X's advanced search writes it. Unknown `name:value` words are plain text (a pasted URL stays
 * searchable); a known operator with a value it cannot take is refused with a message naming it (422 on the API, an
 * inline error on the page). Nothing here is SQL: ftsMatch quotes every term before it reaches SQLite.
 */
export function parseQuery(raw: string): ParsedQuery {
  checkQueryLength(raw);
  const parsed: ParsedQuery = { include: [], exclude: [], filters: [], scope: null };
  for (const match of raw.matchAll(TOKEN)) {
    const [, quotedMinus, phrase, word] = match;
    if (phrase !== undefined) {
      addTerm(parsed, phrase, quotedMinus === "-");
      continue;
    }
    const negated = word!.length > 1 && word!.startsWith("-");
    readWord(parsed, negated ? word!.slice(1) : word!, negated);
  }
  return parsed;
}

function addTerm(parsed: ParsedQuery, term: string, negated: boolean): void {
  if (!INDEXABLE.test(term)) return;
  (negated ? parsed.exclude : parsed.include).push(term);
}

function readWord(parsed: ParsedQuery, word: string, negated: boolean): void {
  if (word.startsWith("#") && isHashtagName(word.slice(1))) {
    parsed.filters.push({ kind: "tag", tag: word.slice(1), negated });
    return;
  }
  if (word.startsWith("@") && USERNAME.test(word.slice(1))) {
    parsed.filters.push({ kind: "mention", username: word.slice(1), negated });
    return;
  }
  const colon = word.indexOf(":");
  if (colon > 0) {
    const name = word.slice(0, colon).toLowerCase();
    const value = word.slice(colon + 1);
    if (name === "in") {
      if (negated) refuse("in: cannot be negated");
      parsed.scope = scopeOf(value);
      return;
    }
    const filter = operator(name, value, negated);
    if (filter) {
      parsed.filters.push(filter);
      return;
    }
  }
  addTerm(parsed, word, negated);
}

function scopeOf(value: string): SearchScope {
  const scope = value.toLowerCase();
  if (scope === "likes" || scope === "bookmarks") return scope;
  return refuse(`in: takes likes or bookmarks, not "${value}"`);
}

/** The filter a known operator names, or undefined when `name` is no operator (the word is then plain text). */
function operator(name: string, value: string, negated: boolean): PostFilter | undefined {
  switch (name) {
    case "from":
    case "to":
      return { kind: name, username: username(name, value), negated };
    case "has":
      return { kind: "has", what: hasWhat(value), negated };
    case "filter":
      return filterOperator(value, negated);
    case "min_faves":
      return { kind: "min", what: "favourites", count: count(name, value), negated };
    case "min_retweets":
    case "min_reblogs":
      return { kind: "min", what: "reblogs", count: count(name, value), negated };
    case "min_replies":
      return { kind: "min", what: "replies", count: count(name, value), negated };
    case "since":
    case "until":
      return { kind: name, at: day(name, value), negated };
    case "lang":
      if (!LANGUAGE.test(value.toLowerCase())) refuse(`lang: takes a language code such as en, not "${value}"`);
      return { kind: "lang", language: value.toLowerCase(), negated };
    default:
      return undefined;
  }
}

function username(operatorName: string, value: string): string {
  const name = value.replace(/^@/, "");
  if (!USERNAME.test(name)) refuse(`${operatorName}: takes a username, not "${value}"`);
  return name;
}

function hasWhat(value: string): "media" | "poll" | "link" {
  const what = value.toLowerCase();
  if (what === "media" || what === "poll" || what === "link") return what;
  if (what === "images" || what === "videos") return "media";
  if (what === "links") return "link";
  return refuse(`has: takes media, poll or link, not "${value}"`);
}

function filterOperator(value: string, negated: boolean): PostFilter {
  switch (value.toLowerCase()) {
    case "replies":
      return { kind: "replies", negated };
    case "media":
    case "images":
    case "videos":
      return { kind: "has", what: "media", negated };
    case "links":
      return { kind: "has", what: "link", negated };
    case "polls":
      return { kind: "has", what: "poll", negated };
    default:
      return refuse(`filter: takes replies, media, links or polls, not "${value}"`);
  }
}

function count(operatorName: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) refuse(`${operatorName}: takes a whole number, not "${value}"`);
  return Number(value);
}

/** A calendar day (YYYY-MM-DD) as the start of that day in UTC; days that do not exist (2026-13-45) are refused. */
function day(operatorName: string, value: string): Date {
  const parts = DATE.exec(value);
  const at = parts ? new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : null;
  if (!parts || !at || at.toISOString().slice(0, 10) !== value) refuse(`${operatorName}: takes a date as YYYY-MM-DD, not "${value}"`);
  return at!;
}

/** Whether the query asks for anything at all: an empty or punctuation-only box finds nothing rather than everything. */
export function asksForAnything(parsed: ParsedQuery): boolean {
  return parsed.include.length > 0 || parsed.filters.length > 0 || parsed.scope !== null;
}

/**
 * An FTS5 MATCH expression for terms, each a double-quoted string (quotes inside doubled), so no operator, column
 * filter, prefix star, NEAR or bracket the searcher typed is ever read as FTS5 syntax. Joined with AND, or OR.
 */
export function ftsMatch(terms: string[], join: "AND" | "OR" = "AND"): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(` ${join} `);
}
