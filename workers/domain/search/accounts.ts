import { sql, type SQL } from "drizzle-orm";
import { usersFts } from "#db/fts.ts";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { viewAccounts, type AccountView } from "../profiles/access.ts";
import { shownDisplayName } from "../profiles/profile.ts";
import { checkQueryLength, ftsMatch } from "./query.ts";
import type { RankedPage } from "./posts.ts";

/** Account names are short: a longer query cannot match one, and its trigrams would only cost lookups. */
const MAX_NAME_QUERY = 60;
/** A near miss shares at least this share of the query's trigrams with the username or display name. */
const FUZZY_SHARE = 0.5;

export interface AccountSearch {
  query: string;
  limit: number;
  offset: number;
  /** Only accounts the searcher follows (Mastodon's `following`). */
  following?: boolean;
}

/** The name a query asks for: without a leading @, and without this server's domain (@alice@perch.example). */
export function nameQueryOf(query: string, localHost: string): string | null {
  const [name, domain, ...rest] = query.trim().replace(/^@/, "").split("@");
  if (rest.length > 0 || (domain !== undefined && domain.toLowerCase() !== localHost.toLowerCase())) return null;
  return name!.slice(0, MAX_NAME_QUERY);
}

/** The account of the row, qualified: Drizzle leaves a one-table select's columns bare, which a subquery would rebind. */
const userId = sql.raw(`"users"."id"`);

/** LIKE pattern for a prefix, with LIKE's own wildcards escaped. */
const prefixPattern = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** The distinct three-character pieces of a name, as FTS5's trigram tokenizer cuts it. */
function trigramsOf(text: string): string[] {
  const lower = [...text.toLowerCase()];
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i++) pieces.add(lower.slice(i, i + 3).join(""));
  return [...pieces];
}

/**
 * Accounts by username or display name: exact username first, then prefixes (of the username or any word of the
 * display name), then near misses sharing half the query's trigrams (users_fts, the trigram index); within each, people
 * the searcher follows, then people followed by people they follow, then by followers. Accounts that block the
 * searcher or that the searcher blocks are left out; so are accounts that opted out of discovery, unless the searcher
 * typed their exact username or follows them. Moderation narrows it as it narrows posts (docs/decisions/0041): a
 * suspended account is found by nobody, a limited one only by its followers (not even by its exact username: a limit
 * keeps it out of discovery, untold), and each by itself. Remote names (another domain) find nobody: Perch does not
 * federate. The composer's typeahead asks through here too.
 */
export async function searchAccounts(
  ctx: DomainContext,
  viewerId: string | null,
  localHost: string,
  search: AccountSearch,
): Promise<RankedPage<AccountView>> {
  checkQueryLength(search.query);
  const name = nameQueryOf(search.query, localHost);
  if (!name) return { items: [], nextOffset: null };
  const exact = sql`lower(${users.username}) = lower(${name})`;
  const prefix = prefixPattern(name);
  // The display name as others see it: a held profile's is not searchable (docs/decisions/0054).
  const prefixed = sql`(lower(${users.username}) LIKE ${prefix} ESCAPE '\\' OR lower(${shownDisplayName}) LIKE ${prefix} ESCAPE '\\'
                        OR lower(${shownDisplayName}) LIKE ${`% ${prefix}`} ESCAPE '\\')`;
  const trigrams = trigramsOf(name);
  const shared = sql`(SELECT count(*) FROM json_each(${JSON.stringify(trigrams)}) t
                      WHERE instr(lower(${users.username} || ' ' || ${shownDisplayName}), t.value) > 0)`;
  const fuzzy: SQL | undefined =
    trigrams.length > 0
      ? sql`(${users.id} IN (SELECT CAST(rowid AS TEXT) FROM ${usersFts} WHERE ${usersFts} MATCH ${ftsMatch(trigrams, "OR")})
             AND ${shared} >= ${Math.ceil(trigrams.length * FUZZY_SHARE)})`
      : undefined;
  const follows = (who: SQL) => sql`EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${who} AND f.followee_id = ${userId})`;
  const viewer = sql`${viewerId}`;
  const followed = viewerId ? follows(viewer) : sql`0`;
  const friendOfFriend = viewerId
    ? sql`EXISTS (SELECT 1 FROM follows mine JOIN follows theirs ON theirs.follower_id = mine.followee_id
                  WHERE mine.follower_id = ${viewerId} AND theirs.followee_id = ${userId})`
    : sql`0`;
  const blocked = viewerId
    ? sql`EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${viewerId} AND b.blocked_id = ${userId})
                                          OR (b.blocker_id = ${userId} AND b.blocked_id = ${viewerId}))`
    : sql`0`;
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(
      sql`(${exact} OR ${prefixed} ${fuzzy ? sql`OR ${fuzzy}` : sql``})
          AND NOT ${blocked}
          AND (${users.discoverable} = 1 OR ${exact} OR ${followed} OR ${users.id} = ${viewerId})
          AND (${users.moderationStatus} IS NULL OR ${users.id} = ${viewerId}
               OR (${users.moderationStatus} = 'limited' AND ${followed}))
          ${search.following ? sql`AND ${followed}` : sql``}`,
    )
    .orderBy(
      sql`CASE WHEN ${exact} THEN 0 WHEN ${prefixed} THEN 1 ELSE 2 END`,
      sql`CASE WHEN ${followed} THEN 0 WHEN ${friendOfFriend} THEN 1 ELSE 2 END`,
      sql`${users.followersCount} DESC`,
      users.id,
    )
    .limit(search.limit)
    .offset(search.offset);
  if (rows.length === 0) return { items: [], nextOffset: null };
  const items = await viewAccounts(
    ctx,
    viewerId,
    rows.map((row) => row.id),
  );
  return { items, nextOffset: rows.length === search.limit ? search.offset + rows.length : null };
}
