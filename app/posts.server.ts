import { redirect, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { DomainError } from "#domain/errors.ts";
import { engagedBy } from "#domain/posts/engagement.ts";
import { viewPost } from "#domain/posts/thread.ts";
import { pageLinks, pageRequestOf } from "./paging.server.ts";
import { presentAccountRow } from "./presenters/account-row.server.ts";
import { notFound } from "./responses.server.ts";

/**
 * Runs a loader's read of one post for the pages under /:username/status/:id: a post the viewer may not see is a 404,
 * and an address with the wrong username redirects to the right one (keeping the rest of the path).
 */
export async function loadPostPage<T>(
  { params, request }: Pick<LoaderFunctionArgs, "params" | "request">,
  read: (postId: string) => Promise<T>,
  authorOf: (result: T) => string,
): Promise<T> {
  let result: T;
  try {
    result = await read(params.id ?? "");
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw notFound("This post does not exist, or you cannot see it.");
    throw error;
  }
  const author = authorOf(result);
  if (author.toLowerCase() !== (params.username ?? "").toLowerCase()) {
    const url = new URL(request.url);
    throw redirect(url.pathname.replace(/^\/[^/]+/, `/${author}`) + url.search, 301);
  }
  return result;
}

/** Who liked or reposted a post the viewer may see, for the pages under /:username/status/:id. */
export async function engagedByLoader({ params, request, context }: LoaderFunctionArgs, kind: "favourites" | "reblogs") {
  const viewerId = context.scope.viewer?.user.id ?? null;
  const { domain } = context.scope;
  const pageRequest = pageRequestOf(request);
  const { view, accounts } = await loadPostPage(
    { params, request },
    async (id) => ({ view: await viewPost(domain, viewerId, id), accounts: await engagedBy(domain, viewerId, id, kind, pageRequest) }),
    (found) => found.view.author.username,
  );
  return {
    kind,
    path: `/${view.author.username}/status/${view.post.id}`,
    accounts: accounts.items.map(presentAccountRow),
    ...pageLinks(request, pageRequest, accounts),
  };
}

export type EngagedByData = Awaited<ReturnType<typeof engagedByLoader>>;
