import type { Context } from "hono";
import type { Page } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";

/**
 * Mastodon's pagination: a Link header whose "next" points at older items (max_id) and whose "prev" points at newer
 * ones (min_id), keeping the request's other parameters. The cursors are the page's own (from the rows read), so a
 * page that read-time filtering shortened, or emptied, still leads on.
 */
export function paginationLinkHeader(requestUrl: string, origin: string, page: Pick<Page<unknown>, "older" | "newer">): string | undefined {
  const link = (cursor: "max_id" | "min_id", id: string, rel: "next" | "prev") => {
    const url = new URL(requestUrl);
    const target = new URL(url.pathname, origin);
    for (const [key, value] of url.searchParams) {
      if (!["max_id", "min_id", "since_id"].includes(key)) target.searchParams.append(key, value);
    }
    target.searchParams.set(cursor, id);
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links = [page.older && link("max_id", page.older, "next"), page.newer && link("min_id", page.newer, "prev")].filter(Boolean);
  return links.length > 0 ? links.join(", ") : undefined;
}

/** A page as Mastodon answers it: the items, each presented as its entity, and the Link header. */
export function sendPage<T, E>(c: Context<AppEnv>, page: Page<T>, present: (item: T, origin: string) => E) {
  const { origin } = c.var.scope;
  const link = paginationLinkHeader(c.req.url, origin, page);
  if (link) c.header("Link", link);
  return c.json(
    page.items.map((item) => present(item, origin)),
    200,
  );
}
