import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { block, blockedAccounts, mute, mutedAccounts, unblock, unmute } from "#domain/graph/blocks.ts";
import {
  acceptFollowRequest,
  follow,
  accountCollection,
  pendingFollowRequests,
  rejectFollowRequest,
  removeFollower,
  unfollow,
} from "#domain/graph/follows.ts";
import {
  acceptFriendship,
  cancelFriendRequest,
  friendRequestsOf,
  friendsOf,
  rejectFriendship,
  requestFriendship,
  unfriend,
} from "#domain/graph/friends.ts";
import { relationshipsWith, type Relationship } from "#domain/graph/relationships.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { viewAccount } from "#domain/profiles/access.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import { presentRelationship, RelationshipSchema } from "../entities/relationship.ts";
import { validationHook } from "../errors.ts";
import { pascalCase } from "../openapi.ts";
import { idParam, queryBoolean } from "../params.ts";
import { sendPage } from "../link-header.ts";

const accountList = { description: "Accounts", content: { "application/json": { schema: z.array(AccountSchema) } } };
const relationship = { description: "The relationship afterwards", content: { "application/json": { schema: RelationshipSchema } } };

/** A Mastodon account action (POST /api/v1/accounts/{id}/follow and the like) answering with the Relationship. */
function accountAction(path: string, summary: string, scopes: string[], description: string, body?: z.ZodType) {
  return createRoute({
    method: "post",
    path: `/api/v1/accounts/{id}/${path}`,
    operationId: `account${pascalCase(path)}`,
    tags: ["Graph"],
    summary,
    description,
    ...needs(scopes),
    request: { params: idParam, ...(body ? { body: formOrJson(body) } : {}) },
    responses: {
      200: relationship,
      401: errorResponse("No valid token"),
      404: errorResponse("No such account, or it blocks you"),
      422: errorResponse("Not allowed"),
    },
  });
}

const collectionRoute = (which: "followers" | "following") =>
  createRoute({
    method: "get",
    path: `/api/v1/accounts/{id}/${which}`,
    operationId: `account${pascalCase(which)}`,
    tags: ["Graph"],
    summary: which === "followers" ? "Who follows an account" : "Whom an account follows",
    description: "Newest first, paginated with the Link header. Empty when the account hides its collections or its profile from you.",
    request: { params: idParam, query: pageRequestSchema },
    responses: { 200: accountList, 404: errorResponse("No such account, or it blocks you") },
  });

/** A boolean in a JSON or form body: true or false (or 1 or 0, as forms send them). */
const bodyBoolean = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"])], { message: "must be true or false" })
  .transform((value) => value === true || value === "true" || value === "1");

const muteBody = z.object({
  notifications: bodyBoolean.optional(),
  duration: z.coerce
    .number()
    .optional()
    .openapi({ description: "Seconds until the mute ends; 0 or absent mutes indefinitely (at most a year)" }),
});

/**
 * Mastodon's follow options. `notify` (the bell) is honoured; Perch does not yet hide a followed account's reposts or
 * filter it by language, so asking for either is refused rather than ignored; their defaults are accepted.
 */
const followBody = z.object({
  reblogs: bodyBoolean
    .refine((value) => value, { message: "hiding a followed account's reposts is not supported yet; send true or leave it out" })
    .optional()
    .openapi({ description: "Only true (the default) is supported." }),
  notify: bodyBoolean.optional().openapi({
    description: "Be notified of each new post of the account (a `status` notification). Absent: unchanged (false on a new follow).",
  }),
  languages: z
    .array(z.string())
    .max(0, { message: "following only some languages is not supported yet; leave languages out" })
    .optional()
    .openapi({ description: "Only an empty list (all languages, the default) is supported." }),
});

export const graphRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

for (const which of ["followers", "following"] as const) {
  graphRoutes.openapi(collectionRoute(which), async (c) => {
    const { domain } = c.var.scope;
    const viewerId = c.var.scope.viewer?.user.id ?? null;
    const view = await viewAccount(domain, viewerId, { id: c.req.valid("param").id });
    return sendPage(c, await accountCollection(domain, viewerId, view, which, c.req.valid("query")), presentAccount);
  });
}

graphRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/accounts/relationships",
    operationId: "getRelationships",
    tags: ["Graph"],
    summary: "Your relationships with accounts",
    description:
      "How you stand with each account (following, followed by, requested, blocking, muting, friends ...), one per id, " +
      "for up to 80 ids given as `id[]` (or `id`); accounts that do not exist get a relationship with every flag false.",
    ...needs(["read:follows"]),
    request: {
      query: z.object({
        id: z.union([z.string(), z.array(z.string())]).optional(),
        "id[]": z.union([z.string(), z.array(z.string())]).optional(),
        with_suspended: queryBoolean.openapi({
          description:
            "Mastodon's switch for suspended accounts' relationships. Perch cannot suspend accounts yet, so both values answer the same.",
        }),
      }),
    },
    responses: { 200: { description: "One per id", content: { "application/json": { schema: z.array(RelationshipSchema) } } } },
  }),
  async (c) => {
    const ids = [c.req.queries("id[]") ?? [], c.req.queries("id") ?? []].flat().slice(0, 80);
    const found = await relationshipsWith(c.var.scope.domain, userOf(c).id, ids);
    return c.json([...found.values()].map(presentRelationship), 200);
  },
);

const actions: [string, string, string[], (c: Context<AppEnv>, id: string) => Promise<Relationship>, string, z.ZodType?][] = [
  [
    "follow",
    "Follow (or ask to follow a locked account)",
    ["write:follows", "follow"],
    (c, id) => follow(c.var.scope.domain, userOf(c).id, id, { notify: bodyOf<z.infer<typeof followBody>>(c)?.notify }),
    "A locked account gets a follow request instead (`requested` becomes true). Following again changes only the " +
      "options sent (`notify` rings or silences the bell, reported as `notifying`); an account you block must be " +
      "unblocked first (422). Of Mastodon's other options only the defaults are supported yet (`reblogs` true, all " +
      "`languages`); asking for another is a 422.",
    followBody,
  ],
  [
    "unfollow",
    "Unfollow, or withdraw a follow request",
    ["write:follows", "follow"],
    (c, id) => unfollow(c.var.scope.domain, userOf(c).id, id),
    "Stops following the account, or withdraws a follow request still waiting; neither is an error when there is none.",
  ],
  [
    "remove_from_followers",
    "Make an account stop following you",
    ["write:follows", "follow"],
    (c, id) => removeFollower(c.var.scope.domain, userOf(c).id, id),
    "Removes the account from your followers without blocking it; it may follow you again.",
  ],
  [
    "block",
    "Block: each becomes invisible to the other; follows between you end",
    ["write:blocks", "follow"],
    (c, id) => block(c.var.scope.domain, userOf(c).id, id),
    "Neither of you sees the other's posts or profile any more; follows, follow requests, friendship and friend " +
      "requests both ways end, and each leaves the other's lists.",
  ],
  [
    "unblock",
    "Unblock",
    ["write:blocks", "follow"],
    (c, id) => unblock(c.var.scope.domain, userOf(c).id, id),
    "Ends the block; follows it ended stay ended. Not an error when there was no block.",
  ],
  [
    "mute",
    "Mute: hide their posts (and notifications) without telling them",
    ["write:mutes", "follow"],
    async (c, id) => {
      const options = bodyOf<z.infer<typeof muteBody>>(c) ?? {};
      return mute(c.var.scope.domain, userOf(c).id, id, {
        notifications: options.notifications,
        durationSeconds: options.duration || undefined,
      });
    },
    "`duration` in seconds (0 or absent: until unmuted); `notifications` (default true) also hides their notifications.",
    muteBody,
  ],
  [
    "unmute",
    "Unmute",
    ["write:mutes", "follow"],
    (c, id) => unmute(c.var.scope.domain, userOf(c).id, id),
    "Their posts and notifications reach you again. Not an error when there was no mute.",
  ],
  [
    "friend",
    "Ask to be friends, or accept their request (Perch extension)",
    ["write:follows", "follow"],
    async (c, id) => {
      const domain = c.var.scope.domain;
      return requestFriendship(domain, userOf(c).id, id);
    },
    "Friendship is mutual and separate from following; friends-only posts are visible to friends alone.",
  ],
  [
    "unfriend",
    "End a friendship, or withdraw your friend request (Perch extension)",
    ["write:follows", "follow"],
    async (c, id) => {
      const domain = c.var.scope.domain;
      await cancelFriendRequest(domain, userOf(c).id, id);
      return unfriend(domain, userOf(c).id, id);
    },
    "Ends the friendship (friends-only posts stop reaching each other), or withdraws your friend request still waiting.",
  ],
];

for (const [path, summary, scopes, act, description, body] of actions) {
  graphRoutes.openapi(accountAction(path, summary, scopes, description, body), async (c) =>
    c.json(presentRelationship(await act(c, c.req.valid("param").id)), 200),
  );
}

const requestDecision = (kind: "follow_requests" | "friend_requests", decision: "authorize" | "reject") =>
  createRoute({
    method: "post",
    path: kind === "follow_requests" ? `/api/v1/follow_requests/{id}/${decision}` : `/api/v1/perch/friend_requests/{id}/${decision}`,
    operationId: `${decision}${kind === "follow_requests" ? "Follow" : "Friend"}Request`,
    tags: ["Graph"],
    summary: `${decision === "authorize" ? "Accept" : "Reject"} a ${kind === "follow_requests" ? "follow" : "friend (Perch extension)"} request`,
    description:
      decision === "authorize"
        ? `The account {id} asked; accepting makes it ${kind === "follow_requests" ? "your follower (it is notified)" : "your friend"}.`
        : "The account {id} asked; rejecting removes the request without telling it.",
    ...needs(["write:follows"]),
    request: { params: idParam },
    responses: { 200: relationship, 404: errorResponse("No request from this account") },
  });

graphRoutes.openapi(requestDecision("follow_requests", "authorize"), async (c) =>
  c.json(presentRelationship(await acceptFollowRequest(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);
graphRoutes.openapi(requestDecision("follow_requests", "reject"), async (c) =>
  c.json(presentRelationship(await rejectFollowRequest(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);
graphRoutes.openapi(requestDecision("friend_requests", "authorize"), async (c) =>
  c.json(presentRelationship(await acceptFriendship(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);
graphRoutes.openapi(requestDecision("friend_requests", "reject"), async (c) =>
  c.json(presentRelationship(await rejectFriendship(c.var.scope.domain, userOf(c).id, c.req.valid("param").id)), 200),
);

const listRoute = (path: string, operationId: string, summary: string, description: string, scopes: string[]) =>
  createRoute({
    method: "get",
    path,
    operationId,
    tags: ["Graph"],
    summary,
    description,
    ...needs(scopes),
    responses: { 200: accountList, 401: errorResponse("No valid token") },
  });

graphRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/follow_requests",
    operationId: "getFollowRequests",
    tags: ["Graph"],
    summary: "Accounts asking to follow you",
    description: "Follow requests waiting for your answer (your account is locked), newest first, paginated with the Link header.",
    ...needs(["read:follows"]),
    request: { query: pageRequestSchema },
    responses: { 200: accountList, 401: errorResponse("No valid token") },
  }),
  async (c) => sendPage(c, await pendingFollowRequests(c.var.scope.domain, userOf(c).id, c.req.valid("query")), presentAccount),
);

const present = (c: Context<AppEnv>, accounts: Parameters<typeof presentAccount>[0][]) =>
  c.json(
    accounts.slice(0, 80).map((account) => presentAccount(account, c.var.scope.origin)),
    200,
  );

const MutedAccountSchema = AccountSchema.extend({
  mute_expires_at: z.iso.datetime().nullable().openapi({ description: "When the mute ends; null while it lasts until undone." }),
}).openapi("MutedAccount");

graphRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/blocks",
    operationId: "getBlocks",
    tags: ["Graph"],
    summary: "Accounts you block",
    description: "The most recently blocked first, paginated with the Link header.",
    ...needs(["read:blocks", "follow"]),
    request: { query: pageRequestSchema },
    responses: { 200: accountList, 401: errorResponse("No valid token") },
  }),
  async (c) => sendPage(c, await blockedAccounts(c.var.scope.domain, userOf(c).id, c.req.valid("query")), presentAccount),
);
graphRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/mutes",
    operationId: "getMutes",
    tags: ["Graph"],
    summary: "Accounts you mute",
    description: "Mutes still in force, the most recent first, paginated with the Link header; each says when it ends.",
    ...needs(["read:mutes", "follow"]),
    request: { query: pageRequestSchema },
    responses: {
      200: { description: "Muted accounts", content: { "application/json": { schema: z.array(MutedAccountSchema) } } },
      401: errorResponse("No valid token"),
    },
  }),
  async (c) =>
    sendPage(c, await mutedAccounts(c.var.scope.domain, userOf(c).id, c.req.valid("query")), (account, origin) => ({
      ...presentAccount(account, origin),
      mute_expires_at: account.muteExpiresAt?.toISOString() ?? null,
    })),
);
graphRoutes.openapi(
  listRoute(
    "/api/v1/perch/friends",
    "getFriends",
    "Your friends (Perch extension)",
    "Friendship is mutual and separate from following; friends see your friends-only posts. Up to 80.",
    ["read:follows", "follow"],
  ),
  async (c) => present(c, await friendsOf(c.var.scope.domain, userOf(c).id)),
);
graphRoutes.openapi(
  listRoute(
    "/api/v1/perch/friend_requests",
    "getFriendRequests",
    "Accounts asking to be your friend (Perch extension)",
    "Friend requests waiting for your answer; accept or reject them at /api/v1/perch/friend_requests/{id}. Up to 80.",
    ["read:follows", "follow"],
  ),
  async (c) => present(c, (await friendRequestsOf(c.var.scope.domain, userOf(c).id)).incoming),
);
