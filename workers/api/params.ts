import { z } from "@hono/zod-openapi";

/** The `{id}` path parameter of every resource: an opaque id (Mastodon clients treat ids as strings). */
export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
