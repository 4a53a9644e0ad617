import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { overlayColours, overlayPositions, storyAudiences } from "#db/schema/index.ts";
import { viewAccount } from "#domain/profiles/access.ts";
import { storyStanding } from "#domain/stories/audience.ts";
import {
  addToHighlight,
  createHighlight,
  deleteHighlight,
  highlightItemsFor,
  highlightsOf,
  storyArchive,
  updateHighlight,
} from "#domain/stories/highlights.ts";
import { markStoryViewed, storyViewers, voteInStoryPoll } from "#domain/stories/interactions.ts";
import { replyToStory } from "#domain/stories/replies.ts";
import { activeStoriesOf, createStory, deleteStoryItem, reshareMention, showItems, viewStoryItem } from "#domain/stories/items.ts";
import { storyLimits, videoLimitText } from "#domain/stories/limits.ts";
import {
  addToStoryList,
  removeFromStoryList,
  setStoryArchive,
  storyArchiveOn,
  storyListMembers,
  type StoryListName,
} from "#domain/stories/settings.ts";
import { storyTray } from "#domain/stories/tray.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, booleanField, formOrJson, listField } from "../body.ts";
import { AccountSchema, presentAccount } from "../entities/account.ts";
import { errorResponse } from "../entities/error.ts";
import {
  HighlightSchema,
  presentHighlight,
  presentStoryItem,
  presentTrayEntry,
  presentViewer,
  StoryItemSchema,
  StoryTrayEntrySchema,
  StoryViewerSchema,
} from "../entities/story.ts";
import { validationHook } from "../errors.ts";
import { idParam } from "../params.ts";

const TAG = "Stories";
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const itemParam = idParam;

const newStoryBody = z.object({
  media_ids: listField.openapi({ description: `Uploads from POST /api/v2/media, 1 to ${storyLimits.itemsPerRequest}: one item each.` }),
  audience: z
    .enum(storyAudiences)
    .optional()
    .openapi({ description: "Who sees it: everyone who may see your profile (default), followers, or close friends." }),
  alt_text: z.string().optional(),
  overlay_text: z.string().optional(),
  overlay_position: z.enum(overlayPositions).optional(),
  overlay_colour: z.enum(overlayColours).optional(),
  link_url: z.string().optional().openapi({ description: "Link sticker: an http(s) address." }),
  mention: z.string().optional().openapi({ description: "Mention sticker: a username; they are notified and may re-share it." }),
  poll_question: z.string().optional(),
  poll_options: listField.optional().openapi({ description: "Poll sticker: exactly two options (a single item only)." }),
});

const createStoryRoute = createRoute({
  method: "post",
  path: "/api/v1/perch/stories",
  operationId: "createStory",
  tags: [TAG],
  summary: "Post to your story (Perch extension)",
  description:
    "Each upload becomes a story item, live for 24 hours, with the overlay and stickers given. Pictures are stored as " +
    `uploads for posts are (re-encoded to WebP, up to ${storyLimits.imageBytes / 1024 / 1024} MB); videos are kept as uploaded: ${videoLimitText.toLowerCase()}.`,
  ...needs(["write:statuses"]),
  request: { body: formOrJson(newStoryBody) },
  responses: {
    200: json(z.array(StoryItemSchema), "The new items, in order"),
    413: errorResponse(videoLimitText),
    415: errorResponse("A video whose length cannot be read"),
    422: errorResponse("Invalid overlay, stickers or uploads"),
  },
});

function storyInput(body: z.infer<typeof newStoryBody>) {
  return {
    mediaIds: body.media_ids,
    audience: body.audience,
    altText: body.alt_text,
    overlay: body.overlay_text ? { text: body.overlay_text, position: body.overlay_position, colour: body.overlay_colour } : undefined,
    link: body.link_url || undefined,
    mention: body.mention || undefined,
    poll: body.poll_options ? { question: body.poll_question, options: body.poll_options as [string, string] } : undefined,
  };
}

const trayRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/stories/tray",
  operationId: "getStoryTray",
  tags: [TAG],
  summary: "The story tray (Perch extension)",
  description:
    "Your own story first, then accounts you follow with live items you may see: unseen first, newest first. Muted stories are left out.",
  ...needs(["read:statuses"]),
  responses: { 200: json(z.array(StoryTrayEntrySchema), "Accounts with live stories") },
});

const accountStoriesRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/accounts/{id}/stories",
  operationId: "getAccountStories",
  tags: [TAG],
  summary: "An account's live story (Perch extension)",
  description:
    "The live items you may see, oldest first. An account that blocks you is not found; an audience that leaves you out gives none.",
  ...needs(["read:statuses"]),
  request: { params: idParam },
  responses: { 200: json(z.array(StoryItemSchema), "Items, oldest first"), 404: errorResponse("No such account, or it blocks you") },
});

const itemRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/stories/{id}",
  operationId: "getStoryItem",
  tags: [TAG],
  summary: "One story item (Perch extension)",
  description: "A live item you may see. After it expires its author gets 410 (it may be in their archive) and anyone else 404.",
  ...needs(["read:statuses"]),
  request: { params: itemParam },
  responses: {
    200: json(StoryItemSchema, "The item"),
    404: errorResponse("No such item, one you may not see, or one that expired (for anyone but its author)"),
    410: errorResponse("Your own item, expired"),
  },
});

const deleteItemRoute = createRoute({
  method: "delete",
  path: "/api/v1/perch/stories/{id}",
  operationId: "deleteStoryItem",
  tags: [TAG],
  summary: "Delete one of your story items (Perch extension)",
  description: "Live, archived or in highlights; its files are removed in the background.",
  ...needs(["write:statuses"]),
  request: { params: itemParam },
  responses: { 200: json(z.object({}), "Deleted"), 404: errorResponse("Not one of your items") },
});

function itemActionRoute(action: string, summary: string, body: z.ZodObject | null, scopes: string[] = ["write:statuses"]) {
  return createRoute({
    method: "post",
    path: `/api/v1/perch/stories/{id}/${action}`,
    operationId: `storyItem${action[0]!.toUpperCase()}${action.slice(1).replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase())}`,
    tags: [TAG],
    summary: `${summary} (Perch extension)`,
    description: `${summary}. The item must be live and yours to see: otherwise 404 (410 for your own expired item).`,
    ...needs(scopes),
    request: body ? { params: itemParam, body: formOrJson(body) } : { params: itemParam },
    responses: {
      200: json(StoryItemSchema, "The item as you now see it"),
      403: errorResponse(
        "Not yours to do: re-sharing an item that does not mention you, or replying to someone who accepts no messages from you",
      ),
      404: errorResponse("No such live item, or one you may not see"),
      409: errorResponse("Already voted"),
      410: errorResponse("Your own item, expired"),
      422: errorResponse("Invalid input"),
    },
  });
}

const viewRoute = itemActionRoute("view", "Mark an item viewed (idempotent)", null);
const voteRoute = itemActionRoute("poll_vote", "Vote in an item's poll sticker, once", z.object({ choice: z.coerce.number().int() }));
const replyBody = z.object({ text: z.string() });
const replyRoute = itemActionRoute(
  "reply",
  "Reply to an item: the reply goes to its author as a direct message quoting it (a message request if they do not follow you)",
  replyBody,
);
const reactRoute = itemActionRoute(
  "react",
  "React to an item with an emoji: the emoji goes to its author as a direct message quoting the item",
  z.object({ emoji: z.string() }),
);
const reshareRoute = itemActionRoute(
  "reshare",
  "Re-share an item that mentions you to your own story",
  z.object({ audience: z.enum(storyAudiences).optional() }),
);

const viewersRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/stories/{id}/viewers",
  operationId: "getStoryViewers",
  tags: [TAG],
  summary: "Who viewed your item (Perch extension)",
  description: "Newest first, with their poll votes; while the item is live and for 48 hours after. Anyone else's item is not found.",
  ...needs(["read:statuses"]),
  request: { params: itemParam },
  responses: {
    200: json(z.array(StoryViewerSchema), "Viewers"),
    404: errorResponse("Not one of your items"),
    410: errorResponse("More than 48 hours after the item expired"),
  },
});

const archiveRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/stories/archive",
  operationId: "getStoryArchive",
  tags: [TAG],
  summary: "Your private archive of expired items (Perch extension)",
  description: "Only you see it. Turn it off with PUT /api/v1/perch/stories/settings.",
  ...needs(["read:statuses"]),
  responses: { 200: json(z.array(StoryItemSchema), "Expired items whose files are kept, newest first") },
});

const SettingsSchema = z.object({ archive: z.boolean() }).openapi("StorySettings");
const settingsRoute = (method: "get" | "put") =>
  createRoute({
    method,
    path: "/api/v1/perch/stories/settings",
    operationId: method === "get" ? "getStorySettings" : "updateStorySettings",
    tags: [TAG],
    summary: method === "get" ? "Your story settings (Perch extension)" : "Change your story settings (Perch extension)",
    description:
      "`archive`: keep expired items in your private archive (on by default). Turning it off empties the archive of items no highlight keeps.",
    ...needs(method === "get" ? ["read:accounts"] : ["write:accounts"]),
    ...(method === "put" ? { request: { body: formOrJson(z.object({ archive: booleanField })) } } : {}),
    responses: { 200: json(SettingsSchema, "The settings"), 422: errorResponse("Invalid input") },
  });

const listPaths: Record<StoryListName, { path: string; read: string; write: string; what: string; operation: string }> = {
  "close-friends": {
    path: "/api/v1/perch/close_friends",
    read: "read:follows",
    write: "write:follows",
    what: "close friends (only you see this list)",
    operation: "CloseFriends",
  },
  hidden: {
    path: "/api/v1/perch/story_hidden_from",
    read: "read:follows",
    write: "write:follows",
    what: "people your story is hidden from",
    operation: "StoryHiddenFrom",
  },
  muted: {
    path: "/api/v1/perch/story_mutes",
    read: "read:mutes",
    write: "write:mutes",
    what: "accounts whose stories you muted (still following)",
    operation: "StoryMutes",
  },
};

const listRoutes = (list: StoryListName) => {
  const { path, read, write, what, operation } = listPaths[list];
  return {
    get: createRoute({
      method: "get",
      path,
      operationId: `get${operation}`,
      tags: [TAG],
      summary: `Your ${what} (Perch extension)`,
      description: `The accounts on your list of ${what}, by username.`,
      ...needs([read]),
      responses: { 200: json(z.array(AccountSchema), "Accounts") },
    }),
    put: createRoute({
      method: "put",
      path: `${path}/{id}`,
      operationId: `add${operation}`,
      tags: [TAG],
      summary: `Add an account to your ${what} (Perch extension)`,
      description: `Adds the account to your list of ${what}; adding it again changes nothing.`,
      ...needs([write]),
      request: { params: idParam },
      responses: {
        200: json(z.object({}), "Added (again changes nothing)"),
        404: errorResponse("No such account, or a block between you"),
        422: errorResponse("Yourself, or too many"),
      },
    }),
    delete: createRoute({
      method: "delete",
      path: `${path}/{id}`,
      operationId: `remove${operation}`,
      tags: [TAG],
      summary: `Remove an account from your ${what} (Perch extension)`,
      description: `Takes the account off your list of ${what}; one not on it changes nothing.`,
      ...needs([write]),
      request: { params: idParam },
      responses: { 200: json(z.object({}), "Removed") },
    }),
  };
};

const highlightBody = z.object({
  title: z.string().optional(),
  item_ids: listField.optional().openapi({ description: "The items, in order (replaces the list: add, remove and reorder at once)." }),
  cover_item_id: z.string().optional(),
  position: z.coerce.number().int().min(0).max(1000).optional(),
});

const highlightsRoute = createRoute({
  method: "get",
  path: "/api/v1/perch/accounts/{id}/highlights",
  operationId: "getAccountHighlights",
  tags: [TAG],
  summary: "An account's highlights (Perch extension)",
  description:
    "The highlights of a profile you may see, with the number of items you may see in each (close-friends items only to close friends).",
  ...needs(["read:statuses"]),
  request: { params: idParam },
  responses: {
    200: json(z.array(HighlightSchema), "Highlights, in the owner's order"),
    404: errorResponse("No such account, or it blocks you"),
  },
});

const highlightRoute = (method: "get" | "put" | "delete") =>
  createRoute({
    method,
    path: "/api/v1/perch/highlights/{id}",
    operationId: { get: "getHighlight", put: "updateHighlight", delete: "deleteHighlight" }[method],
    tags: [TAG],
    summary: {
      get: "A highlight's items (Perch extension)",
      put: "Change a highlight (Perch extension)",
      delete: "Delete a highlight (Perch extension)",
    }[method],
    description: {
      get: "The items of the highlight you may see, in its order; one you may see nothing of is not found.",
      put:
        "Changes the name, cover or place; `item_ids` replaces the items in the order given (add, remove and reorder at once). " +
        "An item taken out that neither your archive nor another highlight keeps loses its files within the hour.",
      delete: "Deletes the highlight; its items stay in your archive if you keep one.",
    }[method],
    ...needs(method === "get" ? ["read:statuses"] : ["write:statuses"]),
    request: method === "put" ? { params: idParam, body: formOrJson(highlightBody) } : { params: idParam },
    responses: {
      200:
        method === "get"
          ? json(
              z.object({ highlight: HighlightSchema, items: z.array(StoryItemSchema) }).openapi("HighlightWithItems"),
              "The highlight and the items you may see",
            )
          : json(method === "put" ? HighlightSchema : z.object({}), method === "put" ? "The highlight" : "Deleted"),
      404: errorResponse("No such highlight (of yours, to change it)"),
      422: errorResponse("Invalid input"),
    },
  });

const createHighlightRoute = createRoute({
  method: "post",
  path: "/api/v1/perch/highlights",
  operationId: "createHighlight",
  tags: [TAG],
  summary: "Create a highlight (Perch extension)",
  description:
    "From your items, live or archived, the first the cover unless `cover_item_id` says; kept items keep their files after expiry.",
  ...needs(["write:statuses"]),
  request: { body: formOrJson(highlightBody) },
  responses: { 200: json(HighlightSchema, "The highlight"), 422: errorResponse("Invalid input") },
});

const addHighlightItemRoute = createRoute({
  method: "post",
  path: "/api/v1/perch/highlights/{id}/items",
  operationId: "addHighlightItem",
  tags: [TAG],
  summary: "Add an item to a highlight (Perch extension)",
  description: "Adds one of your items, live or from your archive, at the end; an item already there changes nothing.",
  ...needs(["write:statuses"]),
  request: { params: idParam, body: formOrJson(z.object({ item_id: z.string() })) },
  responses: { 200: json(HighlightSchema, "The highlight"), 404: errorResponse("Not your highlight"), 422: errorResponse("Not your item") },
});

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const itemAs = async (c: Parameters<Parameters<typeof routes.openapi>[1]>[0], itemId: string) => {
  const { view } = await viewStoryItem(c.var.scope.domain, userOf(c).id, itemId);
  return c.json(presentStoryItem(view, c.var.scope.origin), 200);
};

routes
  .openapi(trayRoute, async (c) => {
    const tray = await storyTray(c.var.scope.domain, userOf(c).id);
    return c.json(
      tray.map((entry) => presentTrayEntry(entry, c.var.scope.origin)),
      200,
    );
  })
  .openapi(archiveRoute, async (c) => {
    const { domain, origin } = c.var.scope;
    const me = userOf(c);
    const { account } = await viewAccount(domain, me.id, { id: me.id });
    const items = await storyArchive(domain, me.id);
    const shown = await showItems(domain, await storyStanding(domain, me.id, account), account, items);
    return c.json(
      shown.map((view) => presentStoryItem(view, origin)),
      200,
    );
  })
  .openapi(settingsRoute("get"), async (c) => c.json({ archive: await storyArchiveOn(c.var.scope.domain, userOf(c).id) }, 200))
  .openapi(settingsRoute("put"), async (c) => {
    const body = bodyOf<{ archive: boolean }>(c);
    if (body?.archive !== undefined) await setStoryArchive(c.var.scope.domain, userOf(c).id, body.archive);
    return c.json({ archive: await storyArchiveOn(c.var.scope.domain, userOf(c).id) }, 200);
  })
  .openapi(createStoryRoute, async (c) => {
    const body = bodyOf<z.infer<typeof newStoryBody>>(c) ?? newStoryBody.parse({ media_ids: [] });
    const items = await createStory(c.var.scope.domain, storyInput(body));
    const { account } = await viewAccount(c.var.scope.domain, userOf(c).id, { id: userOf(c).id });
    return c.json(
      items.map((item) => presentStoryItem({ item, author: account }, c.var.scope.origin)),
      200,
    );
  })
  .openapi(accountStoriesRoute, async (c) => {
    const items = await activeStoriesOf(c.var.scope.domain, userOf(c).id, { id: c.req.valid("param").id });
    return c.json(
      items.map((view) => presentStoryItem(view, c.var.scope.origin)),
      200,
    );
  })
  .openapi(itemRoute, (c) => itemAs(c, c.req.valid("param").id))
  .openapi(deleteItemRoute, async (c) => {
    await deleteStoryItem(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  })
  .openapi(viewRoute, async (c) => {
    await markStoryViewed(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return itemAs(c, c.req.valid("param").id);
  })
  .openapi(voteRoute, async (c) => {
    const body = bodyOf<{ choice: number }>(c);
    await voteInStoryPoll(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, body?.choice ?? -1);
    return itemAs(c, c.req.valid("param").id);
  })
  .openapi(replyRoute, async (c) => {
    await replyToStory(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      kind: "reply",
      text: bodyOf<{ text: string }>(c)?.text ?? "",
    });
    return itemAs(c, c.req.valid("param").id);
  })
  .openapi(reactRoute, async (c) => {
    await replyToStory(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      kind: "reaction",
      text: bodyOf<{ emoji: string }>(c)?.emoji ?? "",
    });
    return itemAs(c, c.req.valid("param").id);
  })
  .openapi(reshareRoute, async (c) => {
    const shared = await reshareMention(c.var.scope.domain, c.req.valid("param").id, bodyOf<{ audience?: "everyone" }>(c)?.audience);
    return itemAs(c, shared.id);
  })
  .openapi(viewersRoute, async (c) => {
    const viewers = await storyViewers(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json(
      viewers.map((viewer) => presentViewer(viewer, c.var.scope.origin)),
      200,
    );
  })
  .openapi(highlightsRoute, async (c) => {
    const views = await highlightsOf(c.var.scope.domain, userOf(c).id, { id: c.req.valid("param").id });
    return c.json(
      views.map((view) => presentHighlight(view.highlight, c.var.scope.origin, view)),
      200,
    );
  })
  .openapi(createHighlightRoute, async (c) => {
    const body = bodyOf<z.infer<typeof highlightBody>>(c) ?? {};
    const highlight = await createHighlight(c.var.scope.domain, userOf(c).id, {
      title: body.title ?? "",
      itemIds: body.item_ids ?? [],
      coverItemId: body.cover_item_id,
    });
    return c.json(presentHighlight(highlight, c.var.scope.origin), 200);
  })
  .openapi(highlightRoute("get"), async (c) => {
    const { highlight, items } = await highlightItemsFor(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json(
      {
        highlight: presentHighlight(highlight, c.var.scope.origin),
        items: items.map((view) => presentStoryItem(view, c.var.scope.origin)),
      },
      200,
    );
  })
  .openapi(highlightRoute("put"), async (c) => {
    const body = bodyOf<z.infer<typeof highlightBody>>(c) ?? {};
    const highlight = await updateHighlight(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, {
      title: body.title,
      itemIds: body.item_ids,
      coverItemId: body.cover_item_id,
      position: body.position,
    });
    return c.json(presentHighlight(highlight, c.var.scope.origin), 200);
  })
  .openapi(highlightRoute("delete"), async (c) => {
    await deleteHighlight(c.var.scope.domain, userOf(c).id, c.req.valid("param").id);
    return c.json({}, 200);
  })
  .openapi(addHighlightItemRoute, async (c) => {
    const itemId = bodyOf<{ item_id: string }>(c)?.item_id ?? "";
    const highlight = await addToHighlight(c.var.scope.domain, userOf(c).id, c.req.valid("param").id, itemId);
    return c.json(presentHighlight(highlight, c.var.scope.origin), 200);
  });

for (const list of Object.keys(listPaths) as StoryListName[]) {
  const route = listRoutes(list);
  routes
    .openapi(route.get, async (c) => {
      const members = await storyListMembers(c.var.scope.domain, userOf(c).id, list);
      return c.json(
        members.map((account) => presentAccount(account, c.var.scope.origin)),
        200,
      );
    })
    .openapi(route.put, async (c) => {
      await addToStoryList(c.var.scope.domain, userOf(c).id, list, c.req.valid("param").id);
      return c.json({}, 200);
    })
    .openapi(route.delete, async (c) => {
      await removeFromStoryList(c.var.scope.domain, userOf(c).id, list, c.req.valid("param").id);
      return c.json({}, 200);
    });
}

export const storyRoutes = routes;
