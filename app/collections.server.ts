import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { accountCollection } from "#domain/graph/follows.ts";
import { canSeeCollections } from "#domain/profiles/access.ts";
import { accountOrNotFound } from "./accounts.server.ts";
import { presentAccountRow } from "./presenters/account-row.server.ts";
import { pageLinks, pageRequestOf } from "./paging.server.ts";

/** Followers or following of an account, as the viewer may see them: the profile's access rules and hidden lists apply. */
export async function collectionLoader({ request, params, context }: LoaderFunctionArgs, which: "followers" | "following") {
  const { domain, viewer } = context.scope;
  const viewerId = viewer?.user.id ?? null;
  const view = await accountOrNotFound(domain, viewerId, params.username ?? "");
  const pageRequest = pageRequestOf(request);
  const page = await accountCollection(domain, viewerId, view, which, pageRequest);
  return {
    username: view.account.username,
    visible: canSeeCollections(viewerId, view.account, view.access),
    accounts: page.items.map(presentAccountRow),
    ...pageLinks(request, pageRequest, page),
  };
}

export type CollectionData = Awaited<ReturnType<typeof collectionLoader>>;
