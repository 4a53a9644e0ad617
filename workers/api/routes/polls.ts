import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { pollAsSeenBy, vote } from "#domain/posts/voting.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { PollSchema, presentPoll } from "../entities/poll.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

/** Polls: reading one as its post's viewer may, and voting. */
export const pollRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const poll = { description: "The poll", content: { "application/json": { schema: PollSchema } } };
const noPoll = errorResponse("No such poll, or you may not see its post");

pollRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/polls/{id}",
    operationId: "getPoll",
    tags: ["Polls"],
    summary: "A poll",
    description:
      "A poll on a post you may see. Counts are null until you voted or the poll ended (or, when its author hid the totals, " +
      "until it ended); its author always sees them.",
    request: { params: idParam },
    responses: { 200: poll, 404: noPoll },
  }),
  async (c) => {
    const viewerId = c.var.scope.viewer?.user.id ?? null;
    return c.json(presentPoll(await pollAsSeenBy(c.var.scope.domain, viewerId, c.req.valid("param").id), viewerId !== null), 200);
  },
);

const choice = z.coerce.number().int().min(0);
const votesBody = z.object({ choices: z.union([z.array(choice), choice]).transform((value) => [value].flat()) });

pollRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/v1/polls/{id}/votes",
    operationId: "votePoll",
    tags: ["Polls"],
    summary: "Vote",
    description: "Once per person; `choices` are option indexes (several only when the poll is multiple choice).",
    ...needs(["write:statuses"]),
    request: { params: idParam, body: formOrJson(votesBody) },
    responses: { 200: poll, 404: noPoll, 422: errorResponse("Already voted, poll ended, or not an option") },
  }),
  async (c) => {
    const body = bodyOf<z.infer<typeof votesBody>>(c);
    if (!body) return c.json({ error: "Validation failed: choices are required" }, 422);
    return c.json(presentPoll(await vote(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, body.choices), true), 200);
  },
);
