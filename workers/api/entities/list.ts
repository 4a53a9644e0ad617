import { z } from "@hono/zod-openapi";
import { listRepliesPolicies } from "#db/schema/index.ts";
import type { List } from "#domain/graph/lists.ts";

export const ListSchema = z
  .object({ id: z.string(), title: z.string(), replies_policy: z.enum(listRepliesPolicies), exclusive: z.boolean() })
  .openapi("List");

export function presentList(list: List): z.infer<typeof ListSchema> {
  return { id: list.id, title: list.title, replies_policy: list.repliesPolicy, exclusive: list.exclusive };
}
