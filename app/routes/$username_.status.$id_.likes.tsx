import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { EngagedByPage } from "#app/components/engaged-by-page.tsx";
import { engagedByLoader } from "#app/posts.server.ts";

export const meta: MetaFunction = () => [{ title: "Liked by · Perch" }];

export const loader = (args: LoaderFunctionArgs) => engagedByLoader(args, "favourites");

export default EngagedByPage;
