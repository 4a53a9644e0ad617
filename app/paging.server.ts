import { pageRequestSchema, type Page, type PageRequest } from "#domain/pagination.ts";
import { badRequest } from "./responses.server.ts";

/** The page a listing's address asks for, with the API's cursors (max_id, min_id, since_id, limit); a bad one is a 400. */
export function pageRequestOf(request: Request): PageRequest {
  const parsed = pageRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}

/**
 * Addresses of the older and newer pages next to a page, keeping a chosen limit. "Newer" is offered only once the
 * reader has paged away from the newest items; the cursors are the page's own, so a page that filtering shortened still
 * leads on.
 */
export function pageLinks(request: Request, pageRequest: PageRequest, page: Page<unknown>): { older?: string; newer?: string } {
  const url = new URL(request.url);
  // The page's other parameters (which feed, which filter) stay; only the cursor changes.
  const link = (cursor: "max_id" | "min_id", id: string) => {
    const params = new URLSearchParams(url.searchParams);
    for (const name of ["max_id", "min_id", "since_id", "limit"]) params.delete(name);
    params.set(cursor, id);
    if (url.searchParams.has("limit")) params.set("limit", String(pageRequest.limit));
    return `${url.pathname}?${params}`;
  };
  const pagedAway = pageRequest.max_id !== undefined || pageRequest.min_id !== undefined || pageRequest.since_id !== undefined;
  return {
    older: page.older ? link("max_id", page.older) : undefined,
    newer: page.newer && pagedAway ? link("min_id", page.newer) : undefined,
  };
}
