import type { Context } from "hono";
import type { ShownPost } from "#domain/posts/hydrate.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { presentStatus } from "./entities/status.ts";
import { paginationLinkHeader } from "./link-header.ts";

/**
 * A page of posts as Mastodon answers it: Status entities, and a Link header paging by the cursors (the posts' own
 * ids for timelines; the marks' ids for bookmarks and likes).
 */
export function sendStatusPage(c: Context<AppEnv>, posts: ShownPost[], cursors = posts.map((view) => view.post.id)) {
  const { origin } = c.var.scope;
  const link = paginationLinkHeader(c.req.url, origin, cursors);
  if (link) c.header("Link", link);
  return c.json(
    posts.map((post) => presentStatus(post, origin)),
    200,
  );
}
