import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { PageRequest } from "../pagination.ts";
import { showPost } from "../posts/thread.ts";
import type { ShownPost } from "../posts/hydrate.ts";
import { viewAccount, type AccountView } from "../profiles/access.ts";
import { searchAccounts } from "./accounts.ts";
import { searchHashtags, type TagMatch } from "./hashtags.ts";
import { searchPosts } from "./posts.ts";

export type SearchType = "accounts" | "hashtags" | "statuses";

/** Mastodon's search, every door's: GET /api/v2/search and the /search page's tabs. */
export interface Search {
  query: string;
  /** Only this kind of result; all three when absent. */
  type?: SearchType;
  /** Only accounts the searcher follows. */
  following?: boolean;
  /** Only posts by this account. */
  accountId?: string;
  /** Id bounds on posts (max_id, min_id) and the page size. */
  page: PageRequest;
  offset: number;
  /** Mastodon's resolve: links to this server are looked up whether or not it is set, but it needs a searcher. */
  resolve?: boolean;
  /** Mastodon's exclude_unreviewed: only hashtags an admin has reviewed and allowed to trend. */
  reviewedTagsOnly?: boolean;
}

export interface SearchResults {
  accounts: AccountView[];
  statuses: ShownPost[];
  hashtags: TagMatch[];
}

/** What a link to this server names: an account (/@alice, /alice) or a post (/alice/status/1, /@alice/1). */
export type LocalReference = { kind: "account"; username: string } | { kind: "status"; id: string };

const ACCOUNT_PATH = /^\/@?([A-Za-z0-9_]{1,30})\/?$/;
const STATUS_PATH = /^\/@?[A-Za-z0-9_]{1,30}\/(?:status\/)?(\d{1,20})\/?$/;

/**
 * Reads a query that is a link to this server. Perch does not federate, so Mastodon's `resolve` can only ever find
 * what is here: links to other servers name nothing.
 */
export function localReferenceOf(query: string, localHost: string): LocalReference | null {
  if (!URL.canParse(query.trim())) return null;
  const url = new URL(query.trim());
  if (url.host.toLowerCase() !== localHost.toLowerCase()) return null;
  const status = STATUS_PATH.exec(url.pathname);
  if (status) return { kind: "status", id: status[1]! };
  const account = ACCOUNT_PATH.exec(url.pathname);
  return account ? { kind: "account", username: account[1]! } : null;
}

/**
 * Searches accounts, hashtags and posts as the searcher may see them (each search applies its own rules). A link to
 * one of this server's accounts or posts answers with it, when the searcher may see it.
 */
export async function search(ctx: DomainContext, viewerId: string | null, localHost: string, request: Search): Promise<SearchResults> {
  if (!viewerId && (request.offset > 0 || request.resolve)) {
    throw new DomainError("unauthenticated", "Search pagination and resolve need an access token", { code: "search_needs_token" });
  }
  const wants = (type: SearchType) => !request.type || request.type === type;
  const reference = localReferenceOf(request.query, localHost);
  if (reference) return resolved(ctx, viewerId, reference, wants);
  const limit = request.page.limit;
  const [accounts, hashtags, statuses] = await Promise.all([
    wants("accounts")
      ? searchAccounts(ctx, viewerId, localHost, { query: request.query, limit, offset: request.offset, following: request.following })
      : null,
    wants("hashtags")
      ? searchHashtags(ctx, viewerId, { query: request.query, limit, offset: request.offset, reviewedOnly: request.reviewedTagsOnly })
      : null,
    wants("statuses")
      ? searchPosts(ctx, viewerId, {
          query: request.query,
          order: "top",
          page: request.page,
          offset: request.offset,
          authorId: request.accountId,
        })
      : null,
  ]);
  return { accounts: accounts?.items ?? [], hashtags: hashtags?.items ?? [], statuses: statuses?.items ?? [] };
}

async function resolved(
  ctx: DomainContext,
  viewerId: string | null,
  reference: LocalReference,
  wants: (type: SearchType) => boolean,
): Promise<SearchResults> {
  const results: SearchResults = { accounts: [], statuses: [], hashtags: [] };
  try {
    if (reference.kind === "account" && wants("accounts"))
      results.accounts.push(await viewAccount(ctx, viewerId, { username: reference.username }));
    if (reference.kind === "status" && wants("statuses")) results.statuses.push(await showPost(ctx, viewerId, reference.id));
  } catch (error) {
    // A link to something that is not there, or that the searcher may not see, finds nothing.
    if (!(error instanceof DomainError && error.kind === "not_found")) throw error;
  }
  return results;
}
