import type { Context } from "hono";
import { userForSession } from "#domain/accounts/sessions.ts";
import { grantsAny } from "#domain/clients/scopes.ts";
import { DomainError } from "#domain/errors.ts";
import { authenticateBearer } from "#domain/clients/tokens.ts";
import { attachmentFileFor } from "#domain/messages/attachments.ts";
import { bearerTokenOf } from "#workers/api/authentication.ts";
import { apiError } from "#workers/api/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";
import { sendObject } from "./serve.ts";

/**
 * Who is asking: a bearer token that may read (API clients), or the session cookie (our pages' <img> and links). The
 * cookie is SameSite=Lax, so another site embedding the URL does not send it; a GET changes nothing anyway.
 */
async function viewerIdOf(c: Context<AppEnv>): Promise<string | undefined> {
  const { domain } = c.var.scope;
  const token = bearerTokenOf(c);
  if (token) {
    const holder = await authenticateBearer(domain, token);
    return holder?.user && grantsAny(holder.scopes, ["read", "read:statuses"]) ? holder.user.id : undefined;
  }
  const cookie = readCookie(c.req.raw, SESSION_COOKIE);
  return cookie ? (await userForSession(domain, cookie))?.user.id : undefined;
}

/**
 * A message attachment's file, for members of its conversation only (ADR 0055); to anyone else, signed in or not, it
 * does not exist (404). Membership is checked on every fetch: browsers may keep the file but must revalidate it (the
 * ETag makes that a 304), and shared caches never store it. Documents are always downloads, under their own name.
 */
export async function serveChatMedia(c: Context<AppEnv>): Promise<Response> {
  c.var.scope.cspProfile = "none";
  const { conversationId, attachmentId, variant } = c.req.param() as Record<string, string>;
  const viewerId = await viewerIdOf(c);
  if (!viewerId || (variant !== "original" && variant !== "small")) return apiError(c, 404, "Record not found");
  const file = await attachmentFileFor(c.var.scope.domain, viewerId, conversationId!, attachmentId!, variant).catch((error: unknown) => {
    if (error instanceof DomainError && error.kind === "not_found") return undefined;
    throw error;
  });
  if (!file) return apiError(c, 404, "Record not found");
  const disposition = `${file.download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(file.name)}`;
  const response = await sendObject(c, file.key, "private, no-cache", {
    "Content-Disposition": disposition,
    Vary: "Cookie, Authorization",
  });
  return response ?? apiError(c, 404, "Record not found");
}
