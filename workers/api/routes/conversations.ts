import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pageRequestSchema } from "#domain/pagination.ts";
import { directConversationsOf, markDirectConversationRead, removeDirectConversation } from "#domain/posts/direct-conversations.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { ConversationSchema, presentConversation } from "../entities/conversation.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam } from "../params.ts";

const tags = ["Timelines"];
const notFound = errorResponse("Not a conversation of yours");

/**
 * Mastodon's conversations: direct posts grouped per reader (docs/decisions/0045). Perch's chats are
 * /api/v1/perch/chats, a different thing.
 */
export const conversationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/conversations",
      operationId: "getConversations",
      summary: "Your direct conversations",
      description:
        "Direct posts you wrote or were mentioned in, grouped by thread and by who else takes part, the one with the " +
        "newest post first. max_id, since_id and min_id name posts (each conversation's last_status), as on Mastodon; " +
        "follow the Link header.",
      ...needs(["read:statuses"]),
      request: { query: pageRequestSchema },
      responses: {
        200: { description: "Conversations", content: { "application/json": { schema: z.array(ConversationSchema) } } },
        400: errorResponse("A cursor that is not an id, or a bad limit"),
      },
    }),
    async (c) => sendPage(c, await directConversationsOf(c.var.scope.domain, userOf(c).id, c.req.valid("query")), presentConversation),
  )
  .openapi(
    createRoute({
      tags,
      method: "delete",
      path: "/api/v1/conversations/{id}",
      operationId: "removeConversation",
      summary: "Remove a conversation from your list",
      description: "Its posts stay; a new direct post in it brings it back.",
      ...needs(["write:conversations"]),
      request: { params: idParam },
      responses: {
        200: { description: "Removed", content: { "application/json": { schema: z.object({}) } } },
        404: notFound,
      },
    }),
    async (c) => {
      await removeDirectConversation(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/conversations/{id}/read",
      operationId: "readConversation",
      summary: "Mark a conversation as read",
      description: "It stays read until the next direct post in it that is not yours.",
      ...needs(["write:conversations"]),
      request: { params: idParam },
      responses: {
        200: { description: "The conversation", content: { "application/json": { schema: ConversationSchema } } },
        404: notFound,
      },
    }),
    async (c) => {
      const conversation = await markDirectConversationRead(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
      return c.json(presentConversation(conversation, c.var.scope.origin), 200);
    },
  );
