import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { EngagedByPage } from "#app/components/engaged-by-page.tsx";
import { engagedByLoader } from "#app/posts.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Reposted by");

export const loader = (args: LoaderFunctionArgs) => engagedByLoader(args, "reblogs");

export default EngagedByPage;
