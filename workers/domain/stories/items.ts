import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { mediaAttachments, storyItems, storyPollVotes, storyViews, users } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { commit } from "../events/outbox.ts";
import { eitherBlocks } from "../graph/relationships.ts";
import type { Attachment } from "../media/attachments.ts";
import { videoLengthMs } from "../media/video-length.ts";
import { viewAccount } from "../profiles/access.ts";
import { publicUserColumns, type PublicUser } from "../profiles/profile.ts";
import { canSeeStoryItem, isLive, storyStanding, type StoryItem, type StoryStanding } from "./audience.ts";
import { newStorySchema, storyLimits, videoLimitText, type NewStory } from "./limits.ts";

/** A story item as a viewer sees it: its author, whether the viewer saw it, and its stickers as the viewer may know them. */
export interface StoryItemView {
  item: StoryItem;
  author: PublicUser;
  seen: boolean;
  mentioned: Pick<PublicUser, "id" | "username"> | null;
  poll: {
    question: string | null;
    options: [string, string];
    /** The viewer's own vote, 0 or 1. */
    voted: number | null;
    /** The counts of each option: for the author only. */
    results: [number, number] | null;
  } | null;
}

/** Bytes read from each end of a video to find its length: the header sits at the start or, unoptimised, at the end. */
const LENGTH_PROBE_BYTES = 512 * 1024;

/**
 * Checks an upload can be a story item: pictures as uploaded for posts; videos within the story limits (size and
 * length, read from the stored file's container). Refusals are 413 (too big or too long) and 415 (a length that
 * cannot be read).
 */
async function checkStoryMedia(ctx: DomainContext, upload: Attachment): Promise<number | null> {
  if (upload.type !== "video") return null;
  if (upload.sizeBytes > storyLimits.videoBytes) throw new DomainError("too_large", videoLimitText);
  const head = await ctx.env.MEDIA.get(upload.key, { range: { offset: 0, length: LENGTH_PROBE_BYTES } });
  let length = head ? videoLengthMs(new Uint8Array(await head.arrayBuffer())) : undefined;
  if (length === undefined && upload.sizeBytes > LENGTH_PROBE_BYTES) {
    const tail = await ctx.env.MEDIA.get(upload.key, { range: { suffix: LENGTH_PROBE_BYTES } });
    length = tail ? videoLengthMs(new Uint8Array(await tail.arrayBuffer())) : undefined;
  }
  if (length === undefined) {
    throw new DomainError("unsupported", `The video's length could not be read; ${videoLimitText.toLowerCase()}, MP4, QuickTime or WebM`);
  }
  if (length > storyLimits.videoSeconds * 1000) throw new DomainError("too_large", videoLimitText);
  return length;
}

/** The author's uploads, in the order asked: each theirs and taken by no post, draft or other story. */
async function storyUploads(ctx: DomainContext, authorId: string, ids: string[]): Promise<Attachment[]> {
  const unique = [...new Set(ids)];
  const rows = await ctx.db
    .select()
    .from(mediaAttachments)
    .where(
      and(
        inArray(mediaAttachments.id, unique),
        eq(mediaAttachments.ownerId, authorId),
        isNull(mediaAttachments.postId),
        isNull(mediaAttachments.draftId),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new DomainError("unprocessable", "An upload does not exist, is not yours or is used elsewhere; upload it again");
    return row;
  });
}

async function mentionedAccount(ctx: DomainContext, authorId: string, username: string | undefined) {
  if (!username) return null;
  const found = await ctx.db.query.users.findFirst({
    where: sql`lower(${users.username}) = lower(${username})`,
    columns: { id: true, username: true },
  });
  if (!found || found.id === authorId || (await eitherBlocks(ctx, authorId, found.id))) {
    throw new DomainError("unprocessable", `There is no @${username} to mention`, { fields: { mention: "No such account" } });
  }
  return found;
}

/**
 * Posts a story: one item per upload, live for 24 hours, each with the overlay and stickers given. The item takes
 * its upload's files (the upload's row goes in the same batch, so the hourly clean-up of unused uploads leaves them
 * alone); a `story.created` event per item tells the mentioned person.
 */
export async function createStory(ctx: DomainContext, input: NewStory): Promise<StoryItem[]> {
  const author = assertCan(ctx, "create:post:own");
  const story = newStorySchema.parse(input);
  const uploads = await storyUploads(ctx, author.id, story.mediaIds);
  const lengths: (number | null)[] = [];
  for (const upload of uploads) lengths.push(await checkStoryMedia(ctx, upload));
  const mentioned = await mentionedAccount(ctx, author.id, story.mention);
  const now = Date.now();
  const rows = uploads.map((upload, index) => ({
    id: newId(now + index),
    authorId: author.id,
    audience: story.audience,
    mediaType: upload.type,
    contentType: upload.contentType,
    key: upload.key,
    previewKey: upload.previewKey,
    width: upload.width,
    height: upload.height,
    durationMs: lengths[index] ?? null,
    altText: story.altText ?? upload.description,
    overlayText: story.overlay?.text ?? null,
    overlayPosition: story.overlay?.position ?? null,
    overlayColour: story.overlay?.colour ?? null,
    linkUrl: story.link ?? null,
    mentionedUserId: mentioned?.id ?? null,
    pollQuestion: story.poll?.question ?? null,
    pollOptionA: story.poll?.options[0] ?? null,
    pollOptionB: story.poll?.options[1] ?? null,
    createdAt: new Date(now + index),
    expiresAt: new Date(now + index + storyLimits.lifetimeMs),
  }));
  const events: NewEvent[] = rows.map((row) => ({
    type: "story.created",
    payload: { itemId: row.id, authorId: author.id, mentionedId: row.mentionedUserId },
  }));
  const [inserted] = await commit(
    ctx,
    [
      ctx.db.insert(storyItems).values(rows).returning(),
      ctx.db.delete(mediaAttachments).where(
        inArray(
          mediaAttachments.id,
          uploads.map((upload) => upload.id),
        ),
      ),
    ],
    events,
  );
  return inserted;
}

/**
 * Re-shares an item that mentions you to your own story: a new item of yours showing the same files, live for 24
 * hours. Only the person mentioned may, while the item is live and theirs to see.
 */
export async function reshareMention(ctx: DomainContext, itemId: string, audience: StoryItem["audience"] = "everyone"): Promise<StoryItem> {
  const actor = assertCan(ctx, "create:post:own");
  const { item } = await liveItemFor(ctx, actor.id, itemId);
  if (item.mentionedUserId !== actor.id)
    throw new DomainError("forbidden", "Only the person a story mentions can share it", { code: "not_mentioned" });
  const now = Date.now();
  const row = {
    ...item,
    id: newId(now),
    authorId: actor.id,
    audience,
    mentionedUserId: null,
    pollQuestion: null,
    pollOptionA: null,
    pollOptionB: null,
    sharedFromId: item.id,
    createdAt: new Date(now),
    expiresAt: new Date(now + storyLimits.lifetimeMs),
    expiredAt: null,
    filesKept: true,
    archived: false,
  };
  const [[shared]] = await commit(
    ctx,
    [ctx.db.insert(storyItems).values(row).returning()],
    [{ type: "story.created", payload: { itemId: row.id, authorId: actor.id, mentionedId: null } }],
  );
  return shared!;
}

/** Reads one item with its author; undefined when there is no such item. */
async function itemWithAuthor(ctx: DomainContext, itemId: string) {
  const [row] = await ctx.db
    .select({ item: storyItems, author: publicUserColumns })
    .from(storyItems)
    .innerJoin(users, eq(users.id, storyItems.authorId))
    .where(eq(storyItems.id, itemId));
  return row;
}

/**
 * One item by its link, as the viewer may see it (ADR 0042): an item the viewer may not see, of an author who blocks
 * them or whom they block, is not found; an expired one is gone (410) for its author and not found for anyone else.
 */
export async function liveItemFor(ctx: DomainContext, viewerId: string | null, itemId: string) {
  const row = await itemWithAuthor(ctx, itemId);
  if (!row) throw notFound();
  const standing = await storyStanding(ctx, viewerId, row.author);
  if (!canSeeStoryItem(standing, row.item)) throw notFound();
  if (!isLive(row.item)) {
    if (standing.isAuthor)
      throw new DomainError("gone", "This story has expired; it is in your archive if you keep one", { code: "story_expired" });
    throw notFound();
  }
  return { ...row, standing };
}

const notFound = () => new DomainError("not_found", "Record not found");

/** One live item as the viewer sees it, with its neighbours in the author's story for Previous and Next. */
export async function viewStoryItem(ctx: DomainContext, viewerId: string | null, itemId: string) {
  const { author } = await liveItemFor(ctx, viewerId, itemId);
  const items = await activeStoriesOf(ctx, viewerId, { id: author.id });
  const index = items.findIndex((view) => view.item.id === itemId);
  return { view: items[index]!, items, index, previous: items[index - 1] ?? null, next: items[index + 1] ?? null };
}

/**
 * An account's live items the viewer may see, oldest first (the order they play in). An account that does not exist
 * or blocks the viewer is not found (viewAccount); one the viewer blocks, or whose audience leaves the viewer out,
 * simply has none.
 */
export async function activeStoriesOf(
  ctx: DomainContext,
  viewerId: string | null,
  account: { id: string } | { username: string },
): Promise<StoryItemView[]> {
  const { account: author } = await viewAccount(ctx, viewerId, account);
  const standing = await storyStanding(ctx, viewerId, author);
  const rows = await ctx.db
    .select()
    .from(storyItems)
    .where(and(eq(storyItems.authorId, author.id), gt(storyItems.expiresAt, new Date()), isNull(storyItems.expiredAt)))
    .orderBy(asc(storyItems.createdAt), asc(storyItems.id));
  return showItems(
    ctx,
    standing,
    author,
    rows.filter((item) => canSeeStoryItem(standing, item)),
  );
}

/** Items of one author with what the viewer knows of each: seen, their vote, the mentioned account, results for the author. */
export async function showItems(
  ctx: DomainContext,
  standing: StoryStanding,
  author: PublicUser,
  items: StoryItem[],
): Promise<StoryItemView[]> {
  if (items.length === 0) return [];
  const ids = items.map((item) => item.id);
  const viewerId = standing.viewerId;
  const mentionIds = [...new Set(items.map((item) => item.mentionedUserId).filter((id): id is string => Boolean(id)))];
  const [seen, votes, tallies, mentioned] = await Promise.all([
    viewerId
      ? ctx.db
          .select({ itemId: storyViews.itemId })
          .from(storyViews)
          .where(and(eq(storyViews.viewerId, viewerId), inArray(storyViews.itemId, ids)))
      : Promise.resolve([]),
    viewerId
      ? ctx.db
          .select({ itemId: storyPollVotes.itemId, option: storyPollVotes.option })
          .from(storyPollVotes)
          .where(and(eq(storyPollVotes.voterId, viewerId), inArray(storyPollVotes.itemId, ids)))
      : Promise.resolve([]),
    standing.isAuthor
      ? ctx.db
          .select({ itemId: storyPollVotes.itemId, option: storyPollVotes.option, count: sql<number>`count(*)` })
          .from(storyPollVotes)
          .where(inArray(storyPollVotes.itemId, ids))
          .groupBy(storyPollVotes.itemId, storyPollVotes.option)
      : Promise.resolve([]),
    mentionIds.length
      ? ctx.db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, mentionIds))
      : Promise.resolve([]),
  ]);
  const seenIds = new Set(seen.map((row) => row.itemId));
  return items.map((item) => {
    const results: [number, number] = [0, 1].map(
      (option) => tallies.find((row) => row.itemId === item.id && row.option === option)?.count ?? 0,
    ) as [number, number];
    return {
      item,
      author,
      seen: standing.isAuthor || seenIds.has(item.id),
      mentioned: mentioned.find((account) => account.id === item.mentionedUserId) ?? null,
      poll:
        item.pollOptionA && item.pollOptionB
          ? {
              question: item.pollQuestion,
              options: [item.pollOptionA, item.pollOptionB],
              voted: votes.find((vote) => vote.itemId === item.id)?.option ?? null,
              results: standing.isAuthor ? results : null,
            }
          : null,
    };
  });
}

/** The author's own item, live or not; anyone else's is not found. */
export async function ownItem(ctx: DomainContext, authorId: string, itemId: string): Promise<StoryItem> {
  const item = await ctx.db.query.storyItems.findFirst({ where: and(eq(storyItems.id, itemId), eq(storyItems.authorId, authorId)) });
  if (!item) throw notFound();
  return item;
}

/**
 * Deletes one of your items, live, archived or in highlights: its views, votes and replies go with it, and its files
 * in the background (story.files_discarded; a re-share still showing them keeps them).
 */
export async function deleteStoryItem(ctx: DomainContext, authorId: string, itemId: string): Promise<void> {
  const item = await ownItem(ctx, authorId, itemId);
  await commit(ctx, [ctx.db.delete(storyItems).where(eq(storyItems.id, item.id))], item.filesKept ? discardedStoryFiles([item]) : []);
}

/** The event that removes items' files once the same batch stopped keeping them. */
export function discardedStoryFiles(items: Pick<StoryItem, "key" | "previewKey">[]): NewEvent[] {
  const keys = items.flatMap((item) => [item.key, item.previewKey]).filter((key): key is string => Boolean(key));
  const events: NewEvent[] = [];
  for (let start = 0; start < keys.length; start += 500) {
    events.push({ type: "story.files_discarded", payload: { keys: keys.slice(start, start + 500) } });
  }
  return events;
}
