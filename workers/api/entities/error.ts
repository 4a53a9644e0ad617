import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({ error: z.string().openapi({ example: "limit: limit must be at least 1" }) })
  .openapi("Error", { description: "Every API error, with the HTTP status telling its kind (Mastodon's shape)." });

export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});
