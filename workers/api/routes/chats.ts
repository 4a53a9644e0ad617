import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { reportCategories } from "#db/schema/index.ts";
import {
  acceptRequest,
  conversationOf,
  createGroup,
  inviteMembers,
  joinByLink,
  leaveConversation,
  listConversations,
  openDirect,
  removeMember,
  renameGroup,
  requestCount,
  setConversationFlags,
  setRole,
  totalUnread,
  transferOwnership,
} from "#domain/messages/conversations.ts";
import {
  deleteMessage,
  editMessage,
  history,
  markRead,
  MESSAGE_MAX_CHARACTERS,
  react,
  SEARCH_WINDOW,
  searchConversation,
  unreact,
} from "#domain/messages/messages.ts";
import { GROUP_PICTURE_MAX_BYTES, setGroupPicture } from "#domain/messages/group-pictures.ts";
import { chatSettingsOf, updateChatSettings } from "#domain/messages/settings.ts";
import { uploadMessageAttachment } from "#domain/messages/attachments.ts";
import { mediaLimits } from "#domain/media/attachments.ts";
import { megabytes } from "#domain/media/storage.ts";
import { ownReport, reportMessage } from "#domain/moderation/reports.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { CHAT_WRITE_SCOPE } from "#workers/sockets/protocol.ts";
import { sendThroughRoom } from "#workers/sockets/room-send.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, fileBytes, fileField, formOrJson, listField } from "../body.ts";
import {
  ChatAttachmentSchema,
  ChatConversationSchema,
  ChatMessageSchema,
  presentChatAttachment,
  presentChatConversation,
  presentChatMessage,
} from "../entities/chat.ts";
import { errorResponse } from "../entities/error.ts";
import { presentReport, ReportSchema } from "../entities/report.ts";
import { validationHook } from "../errors.ts";
import { sendPage } from "../link-header.ts";
import { idParam, queryBoolean } from "../params.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = errorResponse("Not a conversation of yours (to anyone outside it, it does not exist)");
const refused = errorResponse("Not allowed (a block, the recipient's message setting, or your role)");
const invalid = errorResponse("Invalid input");
const read = needs(["read:statuses"]);
const write = needs([CHAT_WRITE_SCOPE]);
const tags = ["Chats"];
const empty = json(z.object({}), "Done");

const accountParam = z.object({
  id: idParam.shape.id,
  account_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "account_id", in: "path" } }),
});
const messageParam = z.object({
  id: idParam.shape.id,
  message_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "message_id", in: "path" } }),
});
const reactionParam = messageParam.extend({
  emoji: z
    .string()
    .min(1)
    .max(32)
    .openapi({ param: { name: "emoji", in: "path" } }),
});

const createBody = z.object({
  recipient_id: z.string().max(64).optional().openapi({ description: "Start (or open) a one-to-one conversation with this account." }),
  name: z.string().max(200).optional().openapi({ description: "Create a group with this name instead." }),
  member_ids: listField.pipe(z.array(z.string().max(64)).max(99)).optional(),
  access: z.enum(["invite", "link"]).optional().openapi({ description: "link: anyone with its id may join (a topic room)." }),
});
const updateBody = z.object({ name: z.string().max(200).optional(), muted: booleanField.optional(), archived: booleanField.optional() });
const membersBody = z.object({ account_ids: listField.pipe(z.array(z.string().max(64)).min(1).max(99)) });
const roleBody = z.object({ role: z.enum(["admin", "member"]) });
const transferBody = z.object({ account_id: z.string().min(1).max(64) });
const sendBody = z.object({
  client_id: z
    .string()
    .max(64)
    .openapi({ description: "Your idempotency key (1-64 characters): a retry with the same one returns the stored message." }),
  text: z
    .string()
    .max(20_000)
    .openapi({ description: `1 to ${MESSAGE_MAX_CHARACTERS} characters after trimming; more is a 422.` }),
  reply_to_id: z.string().max(64).optional(),
  media_ids: listField
    .pipe(z.array(z.string().max(64)).max(mediaLimits.perPost))
    .optional()
    .openapi({
      description: `Up to ${mediaLimits.perPost} of your uploads into this conversation (POST /api/v1/perch/chats/{id}/media), in order. With media, text may be empty.`,
    }),
  shared_status_id: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "A post you can see, shared as a card (a repost shares its original). With it, text may be empty." }),
  sensitive: booleanField
    .optional()
    .openapi({ description: "Mark the media sensitive: members see them behind a cover. Ignored without `media_ids`." }),
});
const uploadBody = z.object({
  file: fileField.openapi({
    description:
      `An image (JPEG, PNG, GIF, WebP, AVIF; ${megabytes(mediaLimits.imageBytes)}), a video (MP4, WebM, QuickTime; ` +
      `${megabytes(mediaLimits.videoBytes)}) or a file (PDF or plain text; ${megabytes(mediaLimits.fileBytes)}), recognised by its bytes.`,
  }),
  thumbnail: fileField.optional().openapi({ description: "A still for a video." }),
  description: z
    .string()
    .optional()
    .openapi({ description: `Alt text, up to ${mediaLimits.descriptionCharacters} characters; stored encrypted.` }),
});
const editBody = z.object({ text: z.string().max(20_000) });
const messageReportBody = z.object({
  category: z.enum(reportCategories).optional().openapi({ description: "What is wrong (default other)." }),
  comment: z.string().max(1000).optional().openapi({ description: "Anything the moderators should know." }),
});
const readBody = z.object({ message_id: z.string().min(1).max(64) });
const settingsBody = z.object({ read_receipts: booleanField.optional(), show_presence: booleanField.optional() });
const SettingsSchema = z.object({ read_receipts: z.boolean(), show_presence: z.boolean() }).openapi("ChatSettings");
const presentSettings = (settings: { readReceipts: boolean; showPresence: boolean }) => ({
  read_receipts: settings.readReceipts,
  show_presence: settings.showPresence,
});

/**
 * Perch's messenger (docs/decisions/0035): one-to-one conversations and group rooms, under /api/v1/perch/chats.
 * Mastodon's /api/v1/conversations is about direct posts and is a different thing.
 */
export const chatRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats",
      operationId: "listChats",
      summary: "Your conversations",
      description: "Newest activity first: the inbox, your message requests, or the archive.",
      ...read,
      request: { query: z.object({ folder: z.enum(["inbox", "requests", "archived"]).default("inbox") }) },
      responses: { 200: json(z.array(ChatConversationSchema), "Conversations"), 400: invalid },
    }),
    async (c) => {
      const rows = await listConversations(c.var.scope.domain, userOf(c).id, c.req.valid("query").folder);
      return c.json(rows.map(presentChatConversation), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats",
      operationId: "createChat",
      summary: "Start a conversation or create a group",
      description:
        "With `recipient_id`, the one-to-one conversation with that account (the existing one if any). With `name`, a new " +
        "group (up to 100 members). Whoever does not follow you gets it as a request; their message setting may refuse (403).",
      ...write,
      request: { body: formOrJson(createBody) },
      responses: {
        200: json(ChatConversationSchema, "The conversation"),
        403: refused,
        404: errorResponse("No such account"),
        422: invalid,
      },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof createBody>>(c) ?? {};
      const me = userOf(c).id;
      const ctx = c.var.scope.domain;
      const conversation = body.recipient_id
        ? await openDirect(ctx, me, body.recipient_id)
        : await createGroup(ctx, me, { name: body.name ?? "", memberIds: body.member_ids ?? [], access: body.access });
      return c.json(presentChatConversation(await conversationOf(ctx, me, conversation.id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats/unread",
      operationId: "getChatUnread",
      summary: "Your unread total and waiting requests",
      description: "The badge: unread messages in accepted, unmuted, unarchived conversations (each counted up to 100).",
      ...read,
      responses: { 200: json(z.object({ unread: z.number().int(), requests: z.number().int() }), "Counts") },
    }),
    async (c) => {
      const me = userOf(c).id;
      const ctx = c.var.scope.domain;
      return c.json({ unread: await totalUnread(ctx, me), requests: await requestCount(ctx, me) }, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats/settings",
      operationId: "getChatSettings",
      summary: "Your chat privacy",
      description: "Read receipts (off: you neither send nor see them) and presence (off: others do not see you online).",
      ...read,
      responses: { 200: json(SettingsSchema, "Settings") },
    }),
    async (c) => c.json(presentSettings(await chatSettingsOf(c.var.scope.domain, userOf(c).id)), 200),
  )
  .openapi(
    createRoute({
      tags,
      method: "patch",
      path: "/api/v1/perch/chats/settings",
      operationId: "updateChatSettings",
      summary: "Change your chat privacy",
      description: "Only the fields sent change. Who may message you is `message_policy` on PATCH /api/v1/accounts/update_credentials.",
      ...write,
      request: { body: formOrJson(settingsBody) },
      responses: { 200: json(SettingsSchema, "Settings afterwards"), 422: invalid },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof settingsBody>>(c) ?? {};
      const settings = await updateChatSettings(c.var.scope.domain, userOf(c).id, {
        readReceipts: body.read_receipts,
        showPresence: body.show_presence,
      });
      return c.json(presentSettings(settings), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats/{id}",
      operationId: "getChat",
      summary: "One conversation",
      description: "With your unread count and its members.",
      ...read,
      request: { params: idParam },
      responses: { 200: json(ChatConversationSchema, "The conversation"), 404: notFound },
    }),
    async (c) => c.json(presentChatConversation(await conversationOf(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      tags,
      method: "patch",
      path: "/api/v1/perch/chats/{id}",
      operationId: "updateChat",
      summary: "Rename a group, or mute or archive a conversation for yourself",
      description: "Renaming takes an admin or the owner; muting and archiving are yours alone.",
      ...write,
      request: { params: idParam, body: formOrJson(updateBody) },
      responses: { 200: json(ChatConversationSchema, "The conversation afterwards"), 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof updateBody>>(c) ?? {};
      const { id } = c.req.valid("param");
      const me = userOf(c).id;
      const ctx = c.var.scope.domain;
      if (body.name !== undefined) await renameGroup(ctx, id, me, body.name);
      await setConversationFlags(ctx, id, me, { muted: body.muted, archived: body.archived });
      return c.json(presentChatConversation(await conversationOf(ctx, me, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "put",
      path: "/api/v1/perch/chats/{id}/picture",
      operationId: "setChatPicture",
      summary: "Set or change a group's picture",
      description:
        `Admins and the owner. A JPEG, PNG, GIF, WebP or AVIF image up to ${GROUP_PICTURE_MAX_BYTES / 1024 / 1024} MB, ` +
        "recognised by its bytes and re-encoded to square WebP (which drops EXIF and location).",
      ...write,
      request: {
        params: idParam,
        body: { content: { "multipart/form-data": { schema: z.object({ picture: fileField }) } }, required: true },
      },
      responses: {
        200: json(ChatConversationSchema, "The group afterwards"),
        403: refused,
        404: notFound,
        413: errorResponse("Too large"),
        415: errorResponse("Not a supported image"),
        422: invalid,
      },
    }),
    async (c) => {
      const bytes = await fileBytes(c.req.valid("form").picture);
      if (!bytes) return c.json({ error: "Attach an image in the `picture` field" }, 422);
      const { id } = c.req.valid("param");
      await setGroupPicture(c.var.scope.domain, id, userOf(c).id, bytes);
      return c.json(presentChatConversation(await conversationOf(c.var.scope.domain, userOf(c).id, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "delete",
      path: "/api/v1/perch/chats/{id}/picture",
      operationId: "removeChatPicture",
      summary: "Remove a group's picture",
      description: "Admins and the owner; the group shows the default picture again.",
      ...write,
      request: { params: idParam },
      responses: { 200: json(ChatConversationSchema, "The group afterwards"), 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await setGroupPicture(c.var.scope.domain, id, userOf(c).id, null);
      return c.json(presentChatConversation(await conversationOf(c.var.scope.domain, userOf(c).id, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/members",
      operationId: "inviteChatMembers",
      summary: "Add people to a group",
      description:
        "Admins and the owner; each joins directly or as a request, by their message setting. Someone who blocks, or is " +
        "blocked by, someone else in the group arrives as a request, which they cannot accept while the block stands.",
      ...write,
      request: { params: idParam, body: formOrJson(membersBody) },
      responses: { 200: json(ChatConversationSchema, "The group afterwards"), 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof membersBody>>(c);
      const { id } = c.req.valid("param");
      const me = userOf(c).id;
      await inviteMembers(c.var.scope.domain, id, me, body?.account_ids ?? []);
      return c.json(presentChatConversation(await conversationOf(c.var.scope.domain, me, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "delete",
      path: "/api/v1/perch/chats/{id}/members/{account_id}",
      operationId: "removeChatMember",
      summary: "Remove someone from a group",
      description: "Admins remove members; the owner removes anyone. Their sockets are closed.",
      ...write,
      request: { params: accountParam },
      responses: { 200: empty, 403: refused, 404: notFound },
    }),
    async (c) => {
      const { id, account_id } = c.req.valid("param");
      await removeMember(c.var.scope.domain, id, userOf(c).id, account_id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "put",
      path: "/api/v1/perch/chats/{id}/members/{account_id}",
      operationId: "setChatMemberRole",
      summary: "Make a member an admin, or a member again",
      description: "The owner's right.",
      ...write,
      request: { params: accountParam, body: formOrJson(roleBody) },
      responses: { 200: empty, 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const { id, account_id } = c.req.valid("param");
      const body = bodyOf<z.infer<typeof roleBody>>(c);
      await setRole(c.var.scope.domain, id, userOf(c).id, account_id, body?.role ?? "member");
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/transfer",
      operationId: "transferChatOwnership",
      summary: "Hand a group to another member",
      description: "The owner becomes an admin.",
      ...write,
      request: { params: idParam, body: formOrJson(transferBody) },
      responses: { 200: empty, 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof transferBody>>(c);
      await transferOwnership(c.var.scope.domain, c.req.valid("param").id, userOf(c).id, body?.account_id ?? "");
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/leave",
      operationId: "leaveChat",
      summary: "Leave a conversation (or decline its request)",
      description: "Delivery to you stops at once. An owner leaving hands the group to an admin, or the longest member.",
      ...write,
      request: { params: idParam },
      responses: { 200: empty, 404: notFound },
    }),
    async (c) => {
      await leaveConversation(c.var.scope.domain, c.req.valid("param").id, userOf(c).id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/join",
      operationId: "joinChat",
      summary: "Join a group open by link",
      description: "Only groups whose access is `link`; any other is not found.",
      ...write,
      request: { params: idParam },
      responses: { 200: json(ChatConversationSchema, "The group"), 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await joinByLink(c.var.scope.domain, id, userOf(c).id);
      return c.json(presentChatConversation(await conversationOf(c.var.scope.domain, userOf(c).id, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/accept",
      operationId: "acceptChatRequest",
      summary: "Accept a message request",
      description:
        "The conversation moves to your inbox. To decline, leave it. A group is refused (403, code `blocked`) while you " +
        "block someone in it or someone in it blocks you.",
      ...write,
      request: { params: idParam },
      responses: { 200: json(ChatConversationSchema, "The conversation"), 403: refused, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await acceptRequest(c.var.scope.domain, id, userOf(c).id);
      return c.json(presentChatConversation(await conversationOf(c.var.scope.domain, userOf(c).id, id)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats/{id}/messages",
      operationId: "getChatMessages",
      summary: "A conversation's history",
      description:
        "Newest first, paginated with max_id/since_id/min_id and the Link header; messages you deleted for yourself are left out.",
      ...read,
      request: { params: idParam, query: pageRequestSchema },
      responses: { 200: json(z.array(ChatMessageSchema), "Messages"), 400: invalid, 404: notFound },
    }),
    async (c) => {
      const page = await history(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, c.req.valid("query"));
      return sendPage(c, page, presentChatMessage);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/messages",
      operationId: "sendChatMessage",
      summary: "Send a message",
      description:
        "Answered once the message is stored. The same `client_id` again returns the stored message (200) instead of a " +
        `second. Text is 1 to ${MESSAGE_MAX_CHARACTERS} characters (422 otherwise), or may be empty with \`media_ids\` or ` +
        "`shared_status_id`; sends are rate limited per sender (429).",
      ...write,
      request: { params: idParam, body: formOrJson(sendBody) },
      responses: {
        200: json(ChatMessageSchema, "The stored message"),
        403: refused,
        404: notFound,
        422: invalid,
        429: errorResponse("Too many messages; wait and retry with the same client_id"),
      },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof sendBody>>(c);
      const sent = await sendThroughRoom(c.env, {
        conversationId: c.req.valid("param").id,
        senderId: userOf(c).id,
        clientId: body?.client_id ?? "",
        text: body?.text ?? "",
        replyToId: body?.reply_to_id ?? null,
        mediaIds: body?.media_ids ?? [],
        sharedPostId: body?.shared_status_id ?? null,
        sensitive: body?.sensitive ?? false,
      });
      return c.json(sent.message, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/media",
      operationId: "uploadChatMedia",
      summary: "Upload a file to send in this conversation",
      description:
        "Members only. Checked as post media are (type from the bytes, the same size limits; images re-encoded, which drops " +
        "EXIF), and PDFs and plain text besides. The file is private to the conversation: its `url` answers members only. " +
        "Send it with `media_ids` within a day, or it is removed.",
      ...write,
      request: { params: idParam, body: { content: { "multipart/form-data": { schema: uploadBody } }, required: true } },
      responses: {
        200: json(ChatAttachmentSchema, "The upload"),
        404: notFound,
        413: errorResponse("Too large (the limit is in the message)"),
        415: errorResponse("Not a supported type (the accepted ones are in the message)"),
        422: invalid,
      },
    }),
    async (c) => {
      const body = c.req.valid("form");
      const bytes = await fileBytes(body.file);
      if (!bytes) return c.json({ error: "Attach a file in the `file` field" }, 422);
      const upload = await uploadMessageAttachment(
        c.var.scope.domain,
        c.req.valid("param").id,
        userOf(c).id,
        { bytes, name: body.file instanceof File ? body.file.name : undefined, thumbnail: (await fileBytes(body.thumbnail)) ?? undefined },
        body.description,
      );
      return c.json(presentChatAttachment(upload), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "get",
      path: "/api/v1/perch/chats/{id}/messages/search",
      operationId: "searchChatMessages",
      summary: "Search within a conversation",
      description:
        `Bodies are encrypted at rest, so search decrypts the newest ${SEARCH_WINDOW} messages (before \`before\`) and matches ` +
        "the phrase there; `searched_before` is where to go on, null when the start was reached.",
      ...read,
      request: { params: idParam, query: z.object({ q: z.string().max(200), before: z.string().max(64).optional() }) },
      responses: {
        200: json(z.object({ matches: z.array(ChatMessageSchema), searched_before: z.string().nullable() }), "Matches"),
        404: notFound,
        422: invalid,
      },
    }),
    async (c) => {
      const { q, before } = c.req.valid("query");
      const found = await searchConversation(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, q, before);
      return c.json({ matches: found.matches.map(presentChatMessage), searched_before: found.searchedBefore }, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "put",
      path: "/api/v1/perch/chats/{id}/messages/{message_id}",
      operationId: "editChatMessage",
      summary: "Edit your message",
      description: "Only its sender; not once deleted.",
      ...write,
      request: { params: messageParam, body: formOrJson(editBody) },
      responses: { 200: json(ChatMessageSchema, "The message afterwards"), 403: refused, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const { id, message_id } = c.req.valid("param");
      const body = bodyOf<z.infer<typeof editBody>>(c);
      return c.json(presentChatMessage(await editMessage(c.var.scope.domain, userOf(c).id, id, message_id, body?.text ?? "")), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "delete",
      path: "/api/v1/perch/chats/{id}/messages/{message_id}",
      operationId: "deleteChatMessage",
      summary: "Delete a message for you, or for everyone",
      description:
        "`for_everyone=true` (its sender only) erases the text and leaves a visible marker; otherwise it is hidden from you alone.",
      ...write,
      request: { params: messageParam, query: z.object({ for_everyone: queryBoolean }) },
      responses: { 200: empty, 403: refused, 404: notFound },
    }),
    async (c) => {
      const { id, message_id } = c.req.valid("param");
      await deleteMessage(c.var.scope.domain, userOf(c).id, id, message_id, c.req.valid("query").for_everyone ?? false);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/messages/{message_id}/report",
      operationId: "reportChatMessage",
      summary: "Report a message to the moderators",
      description:
        "Files a report about someone else's message you can read (its sender is the reported account); moderators " +
        "see that message's text, and nothing else of the conversation (docs/decisions/0054). A message you cannot read " +
        "is a 404, your own a 422. Counts toward the 10 reports an hour of `POST /api/v1/reports`.",
      ...needs(["write:reports"]),
      request: { params: messageParam, body: formOrJson(messageReportBody) },
      responses: {
        200: json(ReportSchema, "The report"),
        404: notFound,
        422: errorResponse("Your own message, or an invalid category or comment"),
        429: errorResponse("Too many reports recently"),
      },
    }),
    async (c) => {
      const { id, message_id } = c.req.valid("param");
      const body = bodyOf<z.infer<typeof messageReportBody>>(c);
      const reporter = userOf(c);
      const report = await reportMessage(c.var.scope.domain, reporter.id, id, message_id, {
        category: body?.category ?? "other",
        comment: body?.comment ?? "",
      });
      return c.json(presentReport(await ownReport(c.var.scope.domain, reporter.id, report.id), c.var.scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "put",
      path: "/api/v1/perch/chats/{id}/messages/{message_id}/reactions/{emoji}",
      operationId: "reactToChatMessage",
      summary: "React with an emoji",
      description: "At most 8 different reactions of yours per message.",
      ...write,
      request: { params: reactionParam },
      responses: { 200: json(ChatMessageSchema, "The message afterwards"), 404: notFound, 422: invalid },
    }),
    async (c) => {
      const { id, message_id, emoji } = c.req.valid("param");
      return c.json(presentChatMessage(await react(c.var.scope.domain, userOf(c).id, id, message_id, emoji)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "delete",
      path: "/api/v1/perch/chats/{id}/messages/{message_id}/reactions/{emoji}",
      operationId: "unreactToChatMessage",
      summary: "Take a reaction back",
      description: "Nothing happens if you had not reacted so.",
      ...write,
      request: { params: reactionParam },
      responses: { 200: json(ChatMessageSchema, "The message afterwards"), 404: notFound },
    }),
    async (c) => {
      const { id, message_id, emoji } = c.req.valid("param");
      return c.json(presentChatMessage(await unreact(c.var.scope.domain, userOf(c).id, id, message_id, emoji)), 200);
    },
  )
  .openapi(
    createRoute({
      tags,
      method: "post",
      path: "/api/v1/perch/chats/{id}/read",
      operationId: "markChatRead",
      summary: "Move your read marker",
      description: "Forward only. Members who share read receipts (as you do) see it live.",
      ...write,
      request: { params: idParam, body: formOrJson(readBody) },
      responses: { 200: empty, 404: notFound, 422: invalid },
    }),
    async (c) => {
      const body = bodyOf<z.infer<typeof readBody>>(c);
      await markRead(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, body?.message_id ?? "");
      return c.json({}, 200);
    },
  );
