import { z } from "@hono/zod-openapi";
import { isId, normaliseId } from "#db/ids.ts";
import { MAX_IDS_PER_READ } from "#domain/id-lists.ts";

/** The `{id}` path parameter of every resource: an opaque id (Mastodon clients treat ids as strings). */
export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

/** A boolean query parameter: true or false (or 1 or 0), anything else refused. */
export const queryBoolean = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1")
  .optional();

const oneId = z.string().refine(isId, { message: "must be a numeric id" }).transform(normaliseId);

/** Mastodon 4.3's batch reads: `id[]=1&id[]=2`, one or many; how many at most is the domain's rule (idListSchema). */
export const idsQuery = z.object({
  "id[]": z
    .union([oneId, z.array(oneId)])
    .transform((ids) => [ids].flat())
    .openapi({
      param: { name: "id[]", in: "query", style: "form", explode: true },
      description: `The ids, in the order the answer should keep: 1 to ${MAX_IDS_PER_READ}.`,
      example: ["115934812345678901"],
    }),
});
