import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { followersOf, followingOf } from "#domain/graph/follows.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { canSeeCollections } from "#domain/profiles/access.ts";
import { accountOrNotFound } from "./accounts.server.ts";
import { presentAccountRow } from "./presenters/account-row.server.ts";
import { badRequest } from "./responses.server.ts";

/** Followers or following of an account, as the viewer may see them: the profile's access rules and hidden lists apply. */
export async function collectionLoader({ request, params, context }: LoaderFunctionArgs, which: "followers" | "following") {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const view = await accountOrNotFound(domain, viewerId, params.username ?? "");
  const page = pageRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!page.success) throw badRequest(page.error);
  const visible = canSeeCollections(viewerId, view.account, view.access);
  const result = visible
    ? await (which === "followers" ? followersOf : followingOf)(domain, view.account.id, page.data)
    : { accounts: [], cursors: [] };
  return {
    username: view.account.username,
    visible,
    accounts: result.accounts.map(presentAccountRow),
    older: result.cursors.length === page.data.limit ? result.cursors.at(-1) : undefined,
  };
}

export type CollectionData = Awaited<ReturnType<typeof collectionLoader>>;
