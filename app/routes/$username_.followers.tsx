import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { collectionLoader } from "#app/collections.server.ts";
import { Collection } from "#app/components/collection-page.tsx";
import { pageMeta } from "#app/meta.ts";

export const meta: MetaFunction = ({ params, matches }) => pageMeta(matches, `People following @${params.username}`);

export const loader = (args: LoaderFunctionArgs) => collectionLoader(args, "followers");

export default function Followers() {
  return <Collection which="followers" />;
}
