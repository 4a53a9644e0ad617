import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { collectionLoader } from "#app/collections.server.ts";
import { Collection } from "#app/components/collection-page.tsx";

export const meta: MetaFunction = ({ params }) => [{ title: `People @${params.username} follows · Perch` }];

export const loader = (args: LoaderFunctionArgs) => collectionLoader(args, "following");

export default function Following() {
  return <Collection which="following" />;
}
