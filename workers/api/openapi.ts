import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { authorizationRequestSchema } from "#domain/clients/authorization.ts";
import { ALL_SCOPES, describeScope } from "#domain/clients/scopes.ts";
import { PERCH_VERSION } from "#domain/instance.ts";

type DocumentConfig = Parameters<OpenAPIHono["getOpenAPI31Document"]>[0];
type Registry = OpenAPIHono["openAPIRegistry"];

/** The tags operations are grouped by, with what each holds; an operation's tag must be one of these (the lint checks). */
const TAGS: Record<string, string> = {
  Accounts: "Accounts and profiles: reading, registering, updating your own, finding them by address (WebFinger).",
  Graph: "Follows, follow requests, blocks, mutes and relationships; Perch's friends.",
  Lists: "Lists of accounts you follow.",
  Statuses:
    "Posts: publishing, reading, threads, edits, deleting, and what people do with them (likes, reposts, bookmarks, pins, reactions).",
  Drafts: "Perch extension: posts saved to finish, publish or schedule later.",
  "Scheduled statuses": "Posts waiting to be published at a set time.",
  Media: "Attachments: uploading, describing and reading them.",
  Polls: "Polls attached to posts, and voting in them.",
  Stories:
    "Perch extension: 24-hour stories, the tray, views and viewers, poll stickers, replies, highlights, the archive, close friends, hidden and muted stories.",
  Timelines: "The home, public, hashtag and account timelines, and Perch's ranked For-you timeline with its feedback.",
  Search: "Finding accounts, hashtags and posts, with X's search operators inside the query.",
  Notifications: "What happened to you: likes, reposts, mentions, follows and the rest, one by one (v1) or grouped (v2).",
  Chats:
    "Perch extension: direct messages and group rooms, their members, messages, reactions and read markers. Live: " +
    "GET /api/v1/perch/chats/{id}/stream upgrades to a WebSocket (members only, 404 otherwise; token as access_token, " +
    'Authorization or Sec-WebSocket-Protocol). Send JSON text frames `{"type":"send","client_id":"...","text":"...",' +
    '"reply_to_id":null,"media_ids":[],"shared_status_id":null}` (media uploaded first with POST /api/v1/perch/chats/{id}/media), `{"type":"typing"}`, `{"type":"read","message_id":"..."}` (moves your read marker, as POST ' +
    '/api/v1/perch/chats/{id}/read does) or `{"type":"ping"}`; receive `{"stream":["conversation","<id>"],"event":E,' +
    '"payload":"<JSON string>"}` with E one of message, message.updated, typing (`{user_id}`), presence (`{present: [user ids]}`: the members ' +
    "connected now who show their presence, sent whenever one arrives or leaves), read (`{user_id, message_id}`), ack (your send, stored: " +
    '`{client_id, message}`); message payloads are ChatMessage entities, as the REST API answers, with your own card of a shared post. A frame the room cannot read, or a refused send, is answered `{"error":"...","status":4xx}` ' +
    "(with client_id for a send); a token without write:conversations may listen, and its send, typing and read frames are " +
    "answered with status 403. The room keeps no history for a socket: after a reconnect, read what was missed with " +
    "GET /api/v1/perch/chats/{id}/messages?min_id=<newest id you have>. The room closes a socket with 4404 when its " +
    "user is no longer a member and 4401 when the token or session it was opened with ended; do not reconnect after " +
    "either. Your hub's user:notification stream also carries `perch.chat_unread` with your badge.",
  Filters: "Your content filters (Mastodon's filters v2): keywords and posts to hide or put behind a warning.",
  Reports: "Reporting accounts and posts to this server's moderators.",
  Admin:
    "Moderators' and admins' API (Mastodon's admin subset): accounts, sign-up approval and reports; admin:read / admin:write scopes, and the moderator or admin role.",
  Discovery: "Trends (hashtags, posts and links gaining use now), suggestions of accounts to follow, similar posts and moments.",
  Instance: "What this server is, what it allows and how it is doing: instance information, NodeInfo, health.",
  OAuth: "Registering apps, asking users for access, and tokens (OAuth 2 with PKCE).",
  Streaming: "Live events over a WebSocket or server-sent events: Mastodon's streaming API, resumable after a reconnect.",
};

/** A path segment in PascalCase (remove_from_followers: RemoveFromFollowers), for the operation ids of routes made in loops. */
export const pascalCase = (segment: string) => segment.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/** The document's own description, for the server at `origin`. */
export function openApiConfig(origin: string, contactEmail: string): DocumentConfig {
  return {
    openapi: "3.1.0",
    info: {
      title: "Perch API",
      version: PERCH_VERSION,
      description:
        "Mastodon's client API wherever Perch has the concept, so Mastodon apps and libraries work unchanged; features " +
        'Mastodon lacks are documented as extensions. Errors are always `{"error": "..."}` with the HTTP status.',
      contact: { email: contactEmail },
    },
    servers: [{ url: origin }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  };
}

/**
 * OAuth as the document describes it: the scheme every route's needs() refers to, with every scope, and the consent
 * page (a page, not JSON, but where every client sends its users with these parameters).
 */
export function describeOAuth(registry: Registry) {
  const scopes = Object.fromEntries(ALL_SCOPES.map((scope) => [scope, describeScope(scope)]));
  registry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description:
      "Send `Authorization: Bearer <token>` (or, where headers cannot be set, as for WebSockets, `access_token=<token>` in " +
      "the query): an OAuth 2 access token from /oauth/token (register an app with POST /api/v1/apps first), or a personal " +
      "access token made in settings. A route lists the scopes that let a token call it; any one will do.",
    flows: {
      authorizationCode: { authorizationUrl: "/oauth/authorize", tokenUrl: "/oauth/token", refreshUrl: "/oauth/token", scopes },
      clientCredentials: { tokenUrl: "/oauth/token", scopes },
    },
  });
  const page = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });
  registry.registerPath({
    method: "get",
    path: "/oauth/authorize",
    operationId: "authorize",
    tags: ["OAuth"],
    summary: "Ask the user for access",
    description:
      "Open this in the user's browser. It is a page, not JSON: signed-out users log in first, then see what the app asks " +
      "for and approve or deny it. The answer goes to redirect_uri as `code` (or `error`) with `state`; with " +
      "urn:ietf:wg:oauth:2.0:oob the page shows the code instead. Exchange the code at POST /oauth/token.",
    request: { query: authorizationRequestSchema },
    responses: {
      200: page("The consent page, or the code for urn:ietf:wg:oauth:2.0:oob"),
      302: { description: "To the log-in page first, or back to redirect_uri with an error the app can read" },
      400: page("An unknown client_id, an unregistered redirect_uri or a malformed request, shown to the user"),
    },
  });
}
