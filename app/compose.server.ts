import type { AppLoadContext } from "@remix-run/cloudflare";
import { visibilities } from "#db/schema/index.ts";
import { createThread } from "#domain/posts/posts.ts";
import { requireViewer } from "./auth/viewer.server.ts";

type Visibility = (typeof visibilities)[number];

/** Reads the compose form (one text, or several for a thread) and publishes through the domain. */
export async function publishFromForm(context: AppLoadContext, request: Request, form: FormData) {
  const viewer = requireViewer(context, request);
  const [text = "", ...more] = form.getAll("text").map(String);
  const visibility = String(form.get("visibility") ?? "");
  const language = String(form.get("language") ?? "").trim();
  return createThread(
    context.scope.domain,
    {
      authorId: viewer.user.id,
      text,
      spoilerText: String(form.get("spoilerText") ?? ""),
      sensitive: form.get("sensitive") === "on",
      visibility: (visibilities as readonly string[]).includes(visibility) ? (visibility as Visibility) : undefined,
      language: language || undefined,
      inReplyToId: form.get("inReplyToId") ? String(form.get("inReplyToId")) : undefined,
    },
    more.filter((extra) => extra.trim() !== ""),
  );
}
