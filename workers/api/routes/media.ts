import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteUpload, mediaLimits, ownAttachment, updateAttachment, uploadAttachment } from "#domain/media/attachments.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, fileBytes, fileField, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { MediaAttachmentSchema, presentAttachment } from "../entities/media-attachment.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

const attachment = { description: "The attachment", content: { "application/json": { schema: MediaAttachmentSchema } } };
const notYours = errorResponse("No such upload of yours");

const details = {
  description: z
    .string()
    .optional()
    .openapi({ description: `Alt text, up to ${mediaLimits.descriptionCharacters} characters.` }),
  focus: z.string().optional().openapi({ description: "Focal point as x,y, each from -1 to 1.", example: "0.0,-0.5" }),
};
const upload = z.object({
  file: fileField.openapi({ description: "An image (JPEG, PNG, GIF, WebP, AVIF; 16 MB) or a video (MP4, WebM, QuickTime; 40 MB)." }),
  thumbnail: fileField.optional().openapi({ description: "A still for a video." }),
  ...details,
});

export const mediaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

for (const version of ["v2", "v1"] as const) {
  mediaRoutes.openapi(
    createRoute({
      method: "post",
      path: `/api/${version}/media`,
      operationId: version === "v2" ? "uploadMedia" : "uploadMediaV1",
      tags: ["Media"],
      summary: version === "v2" ? "Upload an image or video for a post" : "Upload (the older path; same as v2)",
      description:
        "Processed before answering, so the answer always has its URLs (200, never 202). Uploads not used in a post within a day are removed.",
      ...needs(["write:media"]),
      request: { body: { content: { "multipart/form-data": { schema: upload } }, required: true } },
      responses: {
        200: attachment,
        413: errorResponse("Too large"),
        415: errorResponse("Not a supported image or video"),
        422: errorResponse("Missing, empty or unreadable file, or bad alt text or focus"),
      },
    }),
    async (c) => {
      const body = c.req.valid("form");
      const bytes = await fileBytes(body.file);
      if (!bytes) return c.json({ error: "Attach a file in the `file` field" }, 422);
      const thumbnail = (await fileBytes(body.thumbnail)) ?? undefined;
      const row = await uploadAttachment(
        c.var.scope.domain,
        userOf(c).id,
        { bytes, thumbnail },
        { description: body.description, focus: body.focus },
      );
      return c.json(presentAttachment(row, c.var.scope.origin), 200);
    },
  );
}

mediaRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/media/{id}",
    operationId: "getMedia",
    tags: ["Media"],
    summary: "One of your uploads",
    description: "Your own uploads only, attached to a post or not; others are not found.",
    ...needs(["write:media"]),
    request: { params: idParam },
    responses: { 200: attachment, 404: notYours },
  }),
  async (c) =>
    c.json(presentAttachment(await ownAttachment(c.var.scope.domain, userOf(c).id, c.req.valid("param").id), c.var.scope.origin), 200),
);

const detailsBody = z.object(details);

mediaRoutes.openapi(
  createRoute({
    method: "put",
    path: "/api/v1/media/{id}",
    operationId: "updateMedia",
    tags: ["Media"],
    summary: "Change an upload's alt text or focal point",
    description: "Also works after the upload joined a post, so alt text can be fixed later.",
    ...needs(["write:media"]),
    request: { params: idParam, body: formOrJson(detailsBody) },
    responses: { 200: attachment, 404: notYours, 422: errorResponse("Alt text too long or focus out of range") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof detailsBody>>(c) ?? {};
    const row = await updateAttachment(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, body);
    return c.json(presentAttachment(row, c.var.scope.origin), 200);
  },
);

mediaRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/v1/media/{id}",
    operationId: "deleteMedia",
    tags: ["Media"],
    summary: "Delete an upload no post uses",
    description: "Removes an upload and its files before any post takes it; answers with the upload as it was.",
    ...needs(["write:media"]),
    request: { params: idParam },
    responses: { 200: attachment, 404: notYours, 422: errorResponse("The upload belongs to a post") },
  }),
  async (c) => {
    const { domain, origin } = c.var.scope;
    const row = await ownAttachment(domain, userOf(c).id, c.req.valid("param").id);
    await deleteUpload(domain, userOf(c).id, row.id);
    return c.json(presentAttachment(row, origin), 200);
  },
);
