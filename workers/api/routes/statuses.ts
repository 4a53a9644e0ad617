import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { quotePolicies } from "#db/schema/index.ts";
import { schedulePost } from "#domain/posts/drafts.ts";
import { createPost } from "#domain/posts/posts.ts";
import { editPost, postHistory, postSource } from "#domain/posts/edit.ts";
import { deletePost } from "#domain/posts/removal.ts";
import { postContext, showOpenedPost, showPost, showPostsByIds } from "#domain/posts/thread.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson, listField } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { richTextToHtml } from "../entities/content-html.ts";
import { EmojiListSchema } from "../entities/custom-emoji.ts";
import { errorResponse } from "../entities/error.ts";
import { MediaAttachmentSchema, presentAttachment } from "../entities/media-attachment.ts";
import { presentScheduledStatus, ScheduledStatusSchema } from "../entities/scheduled-status.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { PerchVisibilitySchema } from "../entities/visibility.ts";
import { validationHook } from "../errors.ts";
import { idParam, idsQuery } from "../params.ts";
import { noteShown } from "#workers/platform/impressions.ts";

/** Posts as resources: publishing, reading, the thread around one, editing with its history, deleting. */
const status = { description: "The post", content: { "application/json": { schema: StatusSchema } } };
const notVisible = errorResponse("No such post, or you may not see it");

const pollField = z
  .object({
    options: listField,
    expires_in: z.coerce.number().int(),
    multiple: booleanField.default(false),
    hide_totals: booleanField
      .default(false)
      .openapi({ description: "Keep the counts from voters until the poll ends (the author always sees them)." }),
  })
  .openapi({
    description: "2 to 4 options, 5 minutes to 7 days; may go with images. As a form: poll[options][], poll[expires_in], poll[multiple].",
  });

/** Upload ids as a list; a form's empty `media_ids[]` (to remove every attachment in an edit) is an empty list. */
const mediaIdsField = listField.transform((ids) => ids.filter((id) => id !== ""));

/** The poll as the domain takes it. */
const pollInput = (poll: z.infer<typeof pollField>) => ({
  options: poll.options,
  expiresInSeconds: poll.expires_in,
  multiple: poll.multiple,
  hideTotals: poll.hide_totals,
});

/** A post as clients send it, to publish, to schedule (with scheduled_at) or to keep as a draft (routes/drafts.ts). */
export const newStatus = z.object({
  status: z.string().default(""),
  spoiler_text: z.string().default(""),
  sensitive: booleanField.default(false),
  visibility: PerchVisibilitySchema.optional().openapi({
    description: "Mastodon's four visibilities, or `friends` (Perch extension: mutual friends only). Absent: your default visibility.",
  }),
  language: z.string().optional(),
  in_reply_to_id: z.string().optional(),
  quote_id: z.string().optional().openapi({ description: "Perch extension (also read as quoted_status_id): the post to quote." }),
  quoted_status_id: z.string().optional(),
  quote_approval_policy: z
    .enum(quotePolicies)
    .optional()
    .openapi({ description: "Who may quote this post: anyone who can see it (public, the default), your followers, or nobody." }),
  media_ids: mediaIdsField
    .optional()
    .openapi({ description: "Uploads from POST /api/v2/media: up to 4 images, or 1 video or animated GIF." }),
  poll: pollField.optional(),
  scheduled_at: z
    .union([z.iso.datetime({ offset: true, local: true }), z.iso.date()])
    .transform((value) => new Date(value))
    .optional()
    .openapi({
      description:
        "ISO 8601 time, at least 5 minutes ahead (a time without a zone is UTC): the post is checked now, published then, and a ScheduledStatus is returned instead of a Status. At most 300 scheduled posts, 25 per day.",
    }),
});

/** The post a body describes, as the domain takes it. */
export function postInputOf(body: z.infer<typeof newStatus>) {
  return {
    text: body.status,
    spoilerText: body.spoiler_text,
    sensitive: body.sensitive,
    visibility: body.visibility,
    language: body.language,
    inReplyToId: body.in_reply_to_id,
    quoteOfId: body.quote_id ?? body.quoted_status_id,
    quotePolicy: body.quote_approval_policy,
    mediaIds: body.media_ids ?? [],
    poll: body.poll && pollInput(body.poll),
  };
}

export const statusRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

statusRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/statuses",
    operationId: "createStatus",
    tags: ["Statuses"],
    summary: "Publish a post, or schedule it",
    description:
      "Send an Idempotency-Key header to make retries safe: the same key from the same account returns the same post (or scheduled post).",
    ...needs(["write:statuses"]),
    request: { body: formOrJson(newStatus), headers: z.object({ "idempotency-key": z.string().max(200).optional() }) },
    responses: {
      200: {
        description: "The post, or with scheduled_at the scheduled post",
        content: { "application/json": { schema: z.union([StatusSchema, ScheduledStatusSchema]) } },
      },
      403: errorResponse("The account's email is not confirmed"),
      404: errorResponse("Replying to or quoting a post you cannot see"),
      422: errorResponse("Empty, too long, scheduled too soon, over the scheduling limits, or otherwise invalid"),
    },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof newStatus>>(c) ?? newStatus.parse({});
    const { domain, origin } = c.var.scope;
    const idempotencyKey = c.req.header("Idempotency-Key") ?? undefined;
    if (body.scheduled_at) {
      const scheduled = await schedulePost(domain, postInputOf(body), body.scheduled_at, { idempotencyKey });
      return c.json(presentScheduledStatus(scheduled, origin), 200);
    }
    const post = await createPost(domain, { ...postInputOf(body), idempotencyKey });
    return c.json(presentStatus(await showPost(domain, userOf(c).id, post.id), origin), 200);
  },
);

statusRoutes
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statuses",
      operationId: "getStatuses",
      tags: ["Statuses"],
      summary: "Many posts at once",
      description:
        "The posts with these ids that exist and you may see, in the order asked for; the others are left out, as " +
        "Mastodon 4.3 answers.",
      request: { query: idsQuery },
      responses: {
        200: { description: "The posts found", content: { "application/json": { schema: z.array(StatusSchema) } } },
        400: errorResponse("No id[], or an id that is not an id"),
        422: errorResponse("More ids than a batch may ask for"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const shown = await showPostsByIds(domain, viewer?.user.id ?? null, c.req.valid("query")["id[]"]);
      return c.json(
        shown.map((view) => presentStatus(view, origin)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statuses/{id}",
      operationId: "getStatus",
      tags: ["Statuses"],
      summary: "A post",
      description: "A post you may see (a repost carries its original in `reblog`); any other is not found, whether or not it exists.",
      request: { params: idParam },
      responses: { 200: { description: "The post", content: { "application/json": { schema: StatusSchema } } }, 404: notVisible },
    }),
    async (c) => {
      const { scope } = c.var;
      const post = await showOpenedPost(scope.domain, scope.viewer?.user.id ?? null, c.req.valid("param").id);
      // Opening a post in a client is a view of it, as its page is (docs/decisions/0053).
      await noteShown(scope, [post]);
      return c.json(presentStatus(post, scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statuses/{id}/context",
      operationId: "getStatusContext",
      tags: ["Statuses"],
      summary: "The thread around a post",
      description: "Ancestors from the root down, descendants depth first; posts the viewer may not see are left out.",
      request: { params: idParam },
      responses: {
        200: {
          description: "Ancestors and descendants",
          content: {
            "application/json": {
              schema: z.object({ ancestors: z.array(StatusSchema), descendants: z.array(StatusSchema) }).openapi("Context"),
            },
          },
        },
        404: notVisible,
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const thread = await postContext(domain, viewer?.user.id ?? null, c.req.valid("param").id);
      return c.json(
        {
          ancestors: thread.ancestors.map((view) => presentStatus(view, origin)),
          descendants: thread.descendants.map((view) => presentStatus(view, origin)),
        },
        200,
      );
    },
  );

statusRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v1/statuses/{id}",
    operationId: "deleteStatus",
    tags: ["Statuses"],
    summary: "Delete a post",
    description:
      "Answers with the post as it was, including its source `text`, for delete-and-redraft. As on Mastodon, your own post's attachments are kept as uploads for a day so a redraft can use their ids again, unless `delete_media=true`.",
    ...needs(["write:statuses"]),
    request: {
      params: idParam,
      query: z.object({ delete_media: booleanField.optional().openapi({ description: "Delete the attachments' files now." }) }),
    },
    responses: { 200: status, 403: errorResponse("Not your post"), 404: notVisible },
  }),
  async (c) => {
    const deleted = await deletePost(c.var.scope.domain, c.req.valid("param").id, {
      keepMedia: c.req.valid("query").delete_media !== true,
    });
    return c.json({ ...presentStatus(deleted, c.var.scope.origin), text: deleted.post.text }, 200);
  },
);

const editBody = z.object({
  status: z.string().default(""),
  spoiler_text: z.string().default(""),
  sensitive: booleanField.default(false),
  language: z.string().optional(),
  quote_approval_policy: z
    .enum(quotePolicies)
    .optional()
    .openapi({ description: "Change who may quote this post (public, followers, nobody); absent: unchanged." }),
  media_ids: mediaIdsField.optional().openapi({
    description: "The attachments afterwards, in order: ones the post has and new uploads. Ones left out are deleted. Absent: unchanged.",
  }),
  media_attributes: z
    .array(z.object({ id: z.string(), description: z.string().optional(), focus: z.string().optional() }))
    .optional()
    .openapi({
      description:
        "Alt text and focal points of the post's attachments. As a form: media_attributes[0][id], media_attributes[0][description] ...",
    }),
  poll: pollField.nullable().optional().openapi({
    description:
      "The poll afterwards; null removes it, absent leaves it. New options or a change of `multiple` start the votes afresh (voters are notified).",
  }),
});

statusRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v1/statuses/{id}",
    operationId: "editStatus",
    tags: ["Statuses"],
    summary: "Edit a post",
    description: "The previous version is kept in the post's history.",
    ...needs(["write:statuses"]),
    request: { params: idParam, body: formOrJson(editBody) },
    responses: { 200: status, 403: errorResponse("Not your post"), 404: notVisible, 422: errorResponse("Empty or too long") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof editBody>>(c) ?? editBody.parse({});
    const id = c.req.valid("param").id;
    await editPost(c.var.scope.domain, id, {
      text: body.status,
      spoilerText: body.spoiler_text,
      sensitive: body.sensitive,
      language: body.language || undefined,
      quotePolicy: body.quote_approval_policy,
      mediaIds: body.media_ids,
      mediaAttributes: body.media_attributes,
      poll: body.poll === undefined || body.poll === null ? body.poll : pollInput(body.poll),
    });
    return c.json(presentStatus(await showPost(c.var.scope.domain, userOf(c).id, id), c.var.scope.origin), 200);
  },
);

const StatusEditSchema = z
  .object({
    content: z.string(),
    spoiler_text: z.string(),
    sensitive: z.boolean(),
    created_at: z.iso.datetime(),
    account: AccountSchema,
    poll: z.object({ options: z.array(z.object({ title: z.string() })) }).nullable(),
    media_attachments: z.array(MediaAttachmentSchema),
    emojis: EmojiListSchema,
  })
  .openapi("StatusEdit", {
    description: "One version of a post, with its poll's options and the attachments it had that still exist (removed ones are deleted).",
  });

statusRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/statuses/{id}/history",
    operationId: "getStatusHistory",
    tags: ["Statuses"],
    summary: "Every version of a post, oldest first",
    description: "Each version's text, content warning, sensitivity, poll options and attachments; the last is the current one.",
    request: { params: idParam },
    responses: {
      200: { description: "Versions", content: { "application/json": { schema: z.array(StatusEditSchema) } } },
      404: notVisible,
    },
  }),
  async (c) => {
    const { domain, viewer, origin } = c.var.scope;
    const { view, versions } = await postHistory(domain, viewer?.user.id ?? null, c.req.valid("param").id);
    return c.json(
      versions.map((version): z.infer<typeof StatusEditSchema> => ({
        content: richTextToHtml(version.text, origin, view.mentions),
        spoiler_text: version.spoilerText,
        sensitive: version.sensitive,
        created_at: version.createdAt.toISOString(),
        account: presentAccount(view.author, origin),
        poll: version.pollOptions && { options: version.pollOptions.map((title) => ({ title })) },
        media_attachments: version.media.map((attachment) => presentAttachment(attachment, origin)),
        emojis: [],
      })),
      200,
    );
  },
);

statusRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/statuses/{id}/source",
    operationId: "getStatusSource",
    tags: ["Statuses"],
    summary: "A post's source text, for editing",
    description: "The text and content warning of one of your own posts as written (not HTML), for a client to fill its edit form.",
    ...needs(["read:statuses"]),
    request: { params: idParam },
    responses: {
      200: {
        description: "The source",
        content: {
          "application/json": { schema: z.object({ id: z.string(), text: z.string(), spoiler_text: z.string() }).openapi("StatusSource") },
        },
      },
      403: errorResponse("Not your post"),
      404: notVisible,
    },
  }),
  async (c) => {
    const source = await postSource(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({ id: source.id, text: source.text, spoiler_text: source.spoilerText }, 200);
  },
);
