import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { markerTimelines } from "#db/schema/index.ts";
import { markerSaveSchema, readMarkers, saveMarkers, type Marker } from "#domain/markers.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson, listField } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const MarkerSchema = z
  .object({
    last_read_id: z.string().openapi({ description: "The id of the newest post (or notification) the user has seen." }),
    version: z.number().int().openapi({ description: "Goes up by one with every save." }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Marker", { description: "Where the user stopped reading a timeline." });

const MarkersSchema = z
  .object({ home: MarkerSchema.optional(), notifications: MarkerSchema.optional() })
  .openapi("Markers", { description: "Saved positions by timeline; a timeline never saved is absent." });

function presentMarkers(markers: Marker[]) {
  return Object.fromEntries(
    markers.map((marker) => [
      marker.timeline,
      { last_read_id: marker.lastReadId, version: marker.version, updated_at: marker.updatedAt.toISOString() },
    ]),
  );
}

const timelineList = listField
  .pipe(z.array(z.enum(markerTimelines, { message: "timeline[] must be home or notifications" })))
  .optional()
  .openapi({ param: { name: "timeline[]", in: "query", style: "form", explode: true }, description: "home, notifications or both." });

export const markerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: "get",
      path: "/api/v1/markers",
      operationId: "getMarkers",
      tags: ["Timelines"],
      summary: "Saved reading positions",
      description: "Where you stopped reading the timelines named by `timeline[]`, saved by any of your clients.",
      ...needs(["read:statuses"]),
      request: { query: z.object({ "timeline[]": timelineList }) },
      responses: {
        200: { description: "Positions by timeline", content: { "application/json": { schema: MarkersSchema } } },
        400: errorResponse("An unknown timeline"),
      },
    }),
    async (c) => {
      const timelines = c.req.valid("query")["timeline[]"] ?? [];
      return c.json(presentMarkers(await readMarkers(c.var.scope.domain, userOf(c).id, timelines)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/v1/markers",
      operationId: "saveMarkers",
      tags: ["Timelines"],
      summary: "Save reading positions",
      description: "Saves `home[last_read_id]`, `notifications[last_read_id]` or both; the answer holds the saved positions.",
      ...needs(["write:statuses"]),
      request: { body: formOrJson(markerSaveSchema) },
      responses: {
        200: { description: "The saved positions", content: { "application/json": { schema: MarkersSchema } } },
        422: errorResponse("No position sent, or one that is not an id"),
      },
    }),
    async (c) => {
      const save = bodyOf<z.input<typeof markerSaveSchema>>(c) ?? {};
      return c.json(presentMarkers(await saveMarkers(c.var.scope.domain, userOf(c).id, save)), 200);
    },
  );
