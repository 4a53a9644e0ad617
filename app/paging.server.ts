import { pageRequestSchema, type Page, type PageRequest } from "#domain/pagination.ts";
import { badRequest } from "./responses.server.ts";

const cursorNames = ["max_id", "min_id", "since_id", "limit"] as const;

/**
 * The page a listing's address asks for, with the API's cursors (max_id, min_id, since_id, limit); a bad one is a 400.
 * A page with two listings names each one's cursors with its own prefix (`blocked_max_id`).
 */
export function pageRequestOf(request: Request, prefix = ""): PageRequest {
  const params = new URL(request.url).searchParams;
  const cursors = Object.fromEntries(cursorNames.flatMap((name) => (params.has(prefix + name) ? [[name, params.get(prefix + name)]] : [])));
  const parsed = pageRequestSchema.safeParse(cursors);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}

/**
 * Addresses of the older and newer pages next to a page, keeping a chosen limit. "Newer" is offered only once the
 * reader has paged away from the newest items; the cursors are the page's own, so a page that filtering shortened still
 * leads on.
 */
export function pageLinks(
  request: Request,
  pageRequest: PageRequest,
  page: Page<unknown>,
  prefix = "",
): { older?: string; newer?: string } {
  const url = new URL(request.url);
  // The page's other parameters (which feed, which filter, the other listing's cursors) stay; only this cursor changes.
  const link = (cursor: "max_id" | "min_id", id: string) => {
    const params = new URLSearchParams(url.searchParams);
    for (const name of cursorNames) params.delete(prefix + name);
    params.set(prefix + cursor, id);
    if (url.searchParams.has(prefix + "limit")) params.set(prefix + "limit", String(pageRequest.limit));
    return `${url.pathname}?${params}`;
  };
  const pagedAway = pageRequest.max_id !== undefined || pageRequest.min_id !== undefined || pageRequest.since_id !== undefined;
  return {
    older: page.older ? link("max_id", page.older) : undefined,
    newer: page.newer && pagedAway ? link("min_id", page.newer) : undefined,
  };
}
