import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { collectionLoader } from "#app/collections.server.ts";
import { Collection } from "#app/components/collection-page.tsx";

export const meta: MetaFunction = ({ params }) => [{ title: `People following @${params.username} · Perch` }];

export const loader = (args: LoaderFunctionArgs) => collectionLoader(args, "followers");

export default function Followers() {
  return <Collection which="followers" />;
}
