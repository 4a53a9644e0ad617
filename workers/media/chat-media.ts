import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { userForSession } from "#domain/accounts/sessions.ts";
import { grantsAny } from "#domain/clients/scopes.ts";
import { DomainError } from "#domain/errors.ts";
import { authenticateBearer } from "#domain/clients/tokens.ts";
import type { User } from "#domain/accounts/users.ts";
import { attachmentFileFor } from "#domain/messages/attachments.ts";
import { bearerTokenOf } from "#workers/api/authentication.ts";
import { errorResponse } from "#workers/api/entities/error.ts";
import { apiError } from "#workers/api/errors.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";
import { sendObject } from "./serve.ts";

/**
 * Who is asking: a bearer token that may read (API clients), or the session cookie (our pages' <img> and links). The
 * cookie is SameSite=Lax, so another site embedding the URL does not send it; a GET changes nothing anyway.
 */
async function viewerOf(c: Context<AppEnv>): Promise<Pick<User, "id" | "role"> | undefined> {
  const { domain } = c.var.scope;
  const token = bearerTokenOf(c);
  if (token) {
    const holder = await authenticateBearer(domain, token);
    // As the API door: a token of an account waiting for approval acts for no one.
    return holder?.user?.approved && grantsAny(holder.scopes, ["read", "read:statuses"]) ? holder.user : undefined;
  }
  const cookie = readCookie(c.req.raw, SESSION_COOKIE);
  return cookie ? (await userForSession(domain, cookie))?.user : undefined;
}

/**
 * A message attachment's file, for members of its conversation only (ADR 0055), and moderators reviewing its message
 * (ADR 0054); to anyone else, signed in or not, it does not exist (404). Membership is checked on every fetch: browsers may keep the file but must revalidate it (the
 * ETag makes that a 304), and shared caches never store it. Documents are always downloads, under their own name.
 */
export async function serveChatMedia(c: Context<AppEnv>): Promise<Response> {
  c.var.scope.cspProfile = "none";
  const { conversationId, attachmentId, variant } = c.req.param() as Record<string, string>;
  const viewer = await viewerOf(c);
  if (!viewer || (variant !== "original" && variant !== "small")) return apiError(c, 404, "Record not found");
  const file = await attachmentFileFor(c.var.scope.domain, viewer, conversationId!, attachmentId!, variant).catch((error: unknown) => {
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

/** The members-only file path in the API document (it is served by the media door, not the API's router). */
export function describeChatMedia(registry: OpenAPIHono["openAPIRegistry"]) {
  const segment = (name: string, description: string) =>
    z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: "path" }, description });
  registry.registerPath({
    method: "get",
    path: "/media/chats/{conversation_id}/{attachment_id}/{variant}",
    operationId: "getChatMediaFile",
    tags: ["Chats"],
    summary: "A file sent in a conversation",
    description:
      "The `url` and `preview_url` of a ChatAttachment. Members of the conversation only; to anyone else it does not " +
      "exist. Supports ETag (304) and byte ranges; `Cache-Control: private, no-cache`, so clients revalidate and " +
      "membership is checked again. PDFs and text files come as downloads under their name.",
    security: [{ oauth2: ["read", "read:statuses"] }],
    request: {
      params: z.object({
        conversation_id: segment("conversation_id", "The conversation."),
        attachment_id: segment("attachment_id", "The attachment."),
        variant: z
          .enum(["original", "small"])
          .openapi({ param: { name: "variant", in: "path" }, description: "The file, or its small WebP preview." }),
      }),
    },
    responses: {
      200: {
        description: "The file, with its type",
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      },
      206: { description: "The byte range asked for" },
      304: { description: "Not modified since the ETag given" },
      404: errorResponse("Not a member, no such file, or not sent yet"),
      416: { description: "A range outside the file" },
    },
  });
}
