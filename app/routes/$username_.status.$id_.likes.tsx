import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { EngagedByPage } from "#app/components/engaged-by-page.tsx";
import { engagedByLoader } from "#app/posts.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Liked by");

export const loader = (args: LoaderFunctionArgs) => engagedByLoader(args, "favourites");

export default EngagedByPage;
