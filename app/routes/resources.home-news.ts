import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { isId, normaliseId } from "#db/ids.ts";
import { homeNewsSince } from "#domain/home-feed/news.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { badRequest } from "#app/responses.server.ts";

const query = z.object({
  since: z.string().refine(isId, { message: "since must be a numeric id" }).transform(normaliseId),
});

/** How many posts came into the viewer's home above the newest one their page shows (the home page asks on return). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireViewer(context, request);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw badRequest(parsed.error);
  const news = await homeNewsSince(context.scope.domain, user.id, parsed.data.since);
  return { newPosts: news.newPosts, more: news.more };
}
