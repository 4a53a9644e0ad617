import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { momentVisibilities } from "#db/schema/index.ts";
import {
  addToMoment,
  createMoment,
  deleteMoment,
  momentLimits,
  momentsOf,
  removeFromMoment,
  updateMoment,
  viewMoment,
  type Moment,
  type MomentView,
} from "#domain/moments/moments.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { presentStatus, StatusSchema } from "../entities/status.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

const MomentSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    title: z.string(),
    description: z.string(),
    visibility: z.enum(momentVisibilities).openapi({ description: "public: listed on the profile; unlisted: only by its link." }),
    cover_media_id: z.string().nullable(),
    url: z.url(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("PerchMoment", { description: "Perch extension: a titled collection of posts someone gathered." });

const MomentWithStatusesSchema = MomentSchema.extend({
  cover_url: z.url().nullable(),
  statuses: z.array(StatusSchema).openapi({ description: "The posts you may see, in the owner's order." }),
}).openapi("PerchMomentWithStatuses");

const presentMoment = (moment: Moment, username: string, origin: string): z.infer<typeof MomentSchema> => ({
  id: moment.id,
  account_id: moment.ownerId,
  title: moment.title,
  description: moment.description,
  visibility: moment.visibility,
  cover_media_id: moment.coverMediaId,
  url: `${origin}/${username}/moments/${moment.id}`,
  created_at: moment.createdAt.toISOString(),
  updated_at: moment.updatedAt.toISOString(),
});

const presentView = (view: MomentView, origin: string): z.infer<typeof MomentWithStatusesSchema> => ({
  ...presentMoment(view.moment, view.owner.account.username, origin),
  cover_url: view.cover ? `${origin}${view.cover.url}` : null,
  statuses: view.items.map((item) => presentStatus(item, origin)),
});

const momentBody = z.object({
  title: z.string().openapi({ description: `At most ${momentLimits.title} characters.` }),
  description: z
    .string()
    .optional()
    .openapi({ description: `At most ${momentLimits.description} characters.` }),
  visibility: z.enum(momentVisibilities).optional(),
  cover_media_id: z.string().nullable().optional().openapi({ description: "A picture attached to one of the moment's posts." }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = errorResponse("No such moment (or not yours to change)");
const refused = errorResponse("Input the moment refuses (too long, a cover not in it, a post you may not see)");

export const momentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/perch/moments",
      operationId: "getMoments",
      tags: ["Discovery"],
      summary: "Moments of an account (Perch extension)",
      description: "An account's public moments, newest first; all of yours (unlisted too) when it is you.",
      request: { query: z.object({ account_id: z.string().min(1).max(64) }) },
      responses: {
        200: json(z.array(MomentSchema), "Moments"),
        400: errorResponse("account_id is missing"),
        404: errorResponse("No such account"),
      },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      const accountId = c.req.valid("query").account_id;
      const { owner, moments } = await momentsOf(domain, viewer?.user.id ?? null, accountId);
      return c.json(
        moments.map((moment) => presentMoment(moment, owner.account.username, origin)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/perch/moments",
      operationId: "createMoment",
      tags: ["Discovery"],
      summary: "Create a moment (Perch extension)",
      description: "A new, empty moment; add posts with POST /api/v1/perch/moments/{id}/statuses.",
      ...needs(["write:statuses"]),
      request: { body: formOrJson(momentBody.omit({ cover_media_id: true })) },
      responses: { 200: json(MomentSchema, "The moment"), 422: refused },
    }),
    async (c) => {
      const body = bodyOf<Partial<z.infer<typeof momentBody>>>(c) ?? {};
      const moment = await createMoment(c.var.scope.domain, {
        title: body.title ?? "",
        description: body.description,
        visibility: body.visibility,
      });
      return c.json(presentMoment(moment, userOf(c).username, c.var.scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/perch/moments/{id}",
      operationId: "getMoment",
      tags: ["Discovery"],
      summary: "A moment with its posts (Perch extension)",
      description:
        "Public and unlisted moments open for anyone who may see the owner's profile; each post is listed only if you may see it.",
      request: { params: idParam },
      responses: { 200: json(MomentWithStatusesSchema, "The moment"), 404: notFound },
    }),
    async (c) => {
      const { domain, viewer, origin } = c.var.scope;
      return c.json(presentView(await viewMoment(domain, viewer?.user.id ?? null, c.req.valid("param").id), origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/perch/moments/{id}",
      operationId: "updateMoment",
      tags: ["Discovery"],
      summary: "Change a moment (Perch extension)",
      description: "Only the fields sent change.",
      ...needs(["write:statuses"]),
      request: { params: idParam, body: formOrJson(momentBody.partial()) },
      responses: { 200: json(MomentSchema, "The moment"), 404: notFound, 422: refused },
    }),
    async (c) => {
      const { cover_media_id, ...rest } = bodyOf<Partial<z.infer<typeof momentBody>>>(c) ?? {};
      const changes = cover_media_id === undefined ? rest : { ...rest, coverMediaId: cover_media_id };
      const moment = await updateMoment(c.var.scope.domain, c.req.valid("param").id, changes);
      return c.json(presentMoment(moment, userOf(c).username, c.var.scope.origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/perch/moments/{id}",
      operationId: "deleteMoment",
      tags: ["Discovery"],
      summary: "Delete a moment (Perch extension)",
      description: "The moment goes; its posts are not affected.",
      ...needs(["write:statuses"]),
      request: { params: idParam },
      responses: { 200: json(z.object({}), "Deleted"), 404: notFound },
    }),
    async (c) => {
      await deleteMoment(c.var.scope.domain, c.req.valid("param").id);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/perch/moments/{id}/statuses",
      operationId: "addToMoment",
      tags: ["Discovery"],
      summary: "Add a post to a moment, or move it (Perch extension)",
      description: `A post you may see, at the end or at \`position\` (0 is first); one already there moves. At most ${momentLimits.items} posts.`,
      ...needs(["write:statuses"]),
      request: {
        params: idParam,
        body: formOrJson(
          z.object({ status_id: z.string().min(1).max(64).optional(), position: z.coerce.number().int().min(0).max(1000).optional() }),
        ),
      },
      responses: { 200: json(z.object({}), "Added"), 404: errorResponse("No such moment or post"), 422: refused },
    }),
    async (c) => {
      const body = bodyOf<{ status_id?: string; position?: number }>(c) ?? {};
      await addToMoment(c.var.scope.domain, c.req.valid("param").id, body.status_id ?? "", body.position);
      return c.json({}, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/perch/moments/{id}/statuses/{status_id}",
      operationId: "removeFromMoment",
      tags: ["Discovery"],
      summary: "Remove a post from a moment (Perch extension)",
      description: "The post itself is not affected.",
      ...needs(["write:statuses"]),
      request: {
        params: idParam.extend({
          status_id: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "status_id", in: "path" } }),
        }),
      },
      responses: { 200: json(z.object({}), "Removed"), 404: notFound },
    }),
    async (c) => {
      const { id, status_id } = c.req.valid("param");
      await removeFromMoment(c.var.scope.domain, id, status_id);
      return c.json({}, 200);
    },
  );
