import { eq, inArray, sql } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import { idListSchema, inAskedOrder } from "../id-lists.ts";
import type { DomainContext } from "../context.ts";
import { applyFilters } from "../filters/apply.ts";
import { DomainError } from "../errors.ts";
import { showPosts, type ShownPost } from "./hydrate.ts";
import { viewPosts, type PostView } from "./posts.ts";
import { visibleTo } from "./visibility.ts";

/** How far up and down a thread is read for one post page: Mastodon's limits for visitors. */
const MAX_ANCESTORS = 40;
const MAX_DESCENDANTS = 60;

/**
 * One post, when it exists and the viewer may see it; otherwise not found (never "forbidden": that would tell). A
 * repost counts as seen only when its original is too, as showPosts has it: a repost must not open a way to an original
 * (its likes, reposts, history) that the original's own address refuses.
 */
export async function viewPost(ctx: DomainContext, viewerId: string | null, postId: string): Promise<PostView> {
  const rows = await ctx.db
    .select()
    .from(posts)
    .where(sql`${posts.id} = ${postId} or ${posts.id} = (select ${posts.reblogOfId} from ${posts} where ${posts.id} = ${postId})`);
  const visible = rows.length > 0 ? await visibleTo(ctx, viewerId, await viewPosts(ctx, rows)) : [];
  const view = visible.find((candidate) => candidate.post.id === postId);
  const originalId = view?.post.reblogOfId;
  if (!view || (originalId && !visible.some((candidate) => candidate.post.id === originalId))) {
    throw new DomainError("not_found", "Record not found");
  }
  return view;
}

/** One post, ready to show (see showPosts, which leaves it out when the viewer may not see it); not found like viewPost. */
export async function showPost(ctx: DomainContext, viewerId: string | null, postId: string): Promise<ShownPost> {
  const row = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  const [shown] = row ? await showPosts(ctx, viewerId, [row]) : [];
  if (!shown) throw new DomainError("not_found", "Record not found");
  return shown;
}

/**
 * The post a viewer opened (Mastodon's GET /statuses/:id): as showPost, marked by the viewer's "thread" filters the way
 * the thread page marks it (postContext).
 */
export async function showOpenedPost(ctx: DomainContext, viewerId: string | null, postId: string): Promise<ShownPost> {
  const shown = await showPost(ctx, viewerId, postId);
  await applyFilters(ctx, viewerId, "thread", [shown], undefined, shown);
  return shown;
}

/**
 * Many posts by id, ready to show (Mastodon's GET /api/v1/statuses?id[]=): those that exist and the viewer may see, in
 * the order asked for. Asking for none or for too many is refused (idListSchema).
 */
export async function showPostsByIds(ctx: DomainContext, viewerId: string | null, ids: string[]): Promise<ShownPost[]> {
  const wanted = idListSchema.parse(ids);
  const rows = await ctx.db.select().from(posts).where(inArray(posts.id, wanted));
  return inAskedOrder(wanted, await showPosts(ctx, viewerId, rows), (shown) => shown.post.id);
}

/**
 * The thread around a post, as Mastodon's context: the ancestors from the root down, and the descendants in thread
 * order (depth first, oldest first at each level). Two round trips: one query reads the post with its thread
 * (threadRows), one batch shows them all (showPosts, which leaves out posts the viewer may not see); replies under a
 * post left out are left out too. As in Mastodon, the viewer's muted accounts drop out of the thread around the post
 * they opened (that post itself still shows: they asked for it), and so do posts their "thread" filters hide; the
 * opened post is marked by those filters (covered by a warning, even for "hide") but never left out.
 */
export async function postContext(ctx: DomainContext, viewerId: string | null, postId: string) {
  const rows = await threadRows(ctx, postId);
  const threadPosts = rows.map((row) => row.post);
  const focus = rows.find((row) => row.place === 0);
  const views = (await showPosts(ctx, viewerId, threadPosts)).filter((view) => !view.authorMuted || view.post.id === focus?.post.id);
  const opened = views.find((view) => view.post.id === focus?.post.id);
  const kept = new Set(await applyFilters(ctx, viewerId, "thread", views, undefined, opened));
  const shown = new Map(views.filter((view) => kept.has(view)).map((view) => [view.post.id, view]));
  const shownFocus = focus && shown.get(focus.post.id);
  if (!shownFocus) throw new DomainError("not_found", "Record not found");
  const ancestors = rows.filter((row) => row.place < 0).flatMap((row) => shown.get(row.post.id) ?? []);
  // Thread order puts each reply after the post it answers, so one pass knows whether that post is shown.
  const reached = new Set([shownFocus.post.id]);
  const descendants = rows
    .filter((row) => row.place > 0)
    .flatMap(({ post }) => {
      const view = shown.get(post.id);
      if (!view || !reached.has(post.inReplyToId ?? "")) return [];
      reached.add(post.id);
      return [view];
    });
  return { focus: shownFocus, ancestors, descendants };
}

/**
 * A post and its thread in one query, ordered by place: its ancestors root first (negative places), the post (0), its
 * first MAX_DESCENDANTS descendants in thread order (1, 2, ...). The descendants' walk keeps its queue ordered by each
 * reply's path of ids, so SQLite goes depth first and stops after that many instead of reading a whole large thread;
 * ids all have 18 digits and "/" sorts before any digit, so comparing paths compares the ids level by level.
 */
function threadRows(ctx: DomainContext, postId: string) {
  const thread = sql`(
    WITH RECURSIVE
      above(id, parent, depth) AS (
        SELECT id, in_reply_to_id, 0 FROM posts WHERE id = ${postId}
        UNION ALL
        SELECT posts.id, posts.in_reply_to_id, above.depth + 1 FROM posts JOIN above ON posts.id = above.parent
        WHERE above.depth < ${MAX_ANCESTORS}
      ),
      below(id, path) AS (
        SELECT id, id FROM posts WHERE in_reply_to_id = ${postId}
        UNION ALL
        SELECT posts.id, below.path || '/' || posts.id FROM posts JOIN below ON posts.in_reply_to_id = below.id
        ORDER BY 2 LIMIT ${MAX_DESCENDANTS}
      )
    SELECT id, -depth AS place FROM above
    UNION ALL
    SELECT id, row_number() OVER (ORDER BY path) FROM below
  ) AS thread`;
  return ctx.db
    .select({ post: posts, place: sql<number>`thread.place` })
    .from(posts)
    .innerJoin(thread, sql`thread.id = ${posts.id}`)
    .orderBy(sql`thread.place`);
}
