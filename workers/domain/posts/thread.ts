import { eq, inArray, sql } from "drizzle-orm";
import { posts } from "#db/schema/index.ts";
import { idListSchema, inAskedOrder } from "../id-lists.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { showPosts, type ShownPost } from "./hydrate.ts";
import { viewPosts, type PostView } from "./posts.ts";
import { visibleTo } from "./visibility.ts";

/** How far up and down a thread is read for one post page. */
const MAX_ANCESTORS = 40;
const MAX_DESCENDANTS = 120;

/** One post, when it exists and the viewer may see it; otherwise not found (never "forbidden": that would tell). */
export async function viewPost(ctx: DomainContext, viewerId: string | null, postId: string): Promise<PostView> {
  const row = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId) });
  const [view] = row ? await visibleTo(ctx, viewerId, await viewPosts(ctx, [row])) : [];
  if (!view) throw new DomainError("not_found", "Record not found");
  return view;
}

/** One post, ready to show (see showPosts); not found like viewPost. */
export async function showPost(ctx: DomainContext, viewerId: string | null, postId: string): Promise<ShownPost> {
  const [shown] = await showPosts(ctx, viewerId, [(await viewPost(ctx, viewerId, postId)).post]);
  if (!shown) throw new DomainError("not_found", "Record not found");
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
 * The thread around a post, as Mastodon's context: the ancestors from the root down, and the descendants in reply
 * order (depth first, oldest first at each level). Both walk the reply links with recursive queries; posts the
 * viewer may not see are left out, and so are their replies.
 */
export async function postContext(ctx: DomainContext, viewerId: string | null, postId: string) {
  const focus = await viewPost(ctx, viewerId, postId);
  const ancestorRows = await ctx.db.all<{ id: string; depth: number }>(sql`
    WITH RECURSIVE chain(id, parent, depth) AS (
      SELECT id, in_reply_to_id, 0 FROM posts WHERE id = ${focus.post.inReplyToId}
      UNION ALL
      SELECT posts.id, posts.in_reply_to_id, chain.depth + 1 FROM posts JOIN chain ON posts.id = chain.parent
      WHERE chain.depth < ${MAX_ANCESTORS}
    )
    SELECT id, depth FROM chain ORDER BY depth DESC`);
  const descendantRows = await ctx.db.all<{ id: string; parent: string }>(sql`
    WITH RECURSIVE below(id, parent, n) AS (
      SELECT id, in_reply_to_id, 1 FROM posts WHERE in_reply_to_id = ${focus.post.id}
      UNION ALL
      SELECT posts.id, posts.in_reply_to_id, below.n + 1 FROM posts JOIN below ON posts.in_reply_to_id = below.id
      WHERE below.n < ${MAX_DESCENDANTS}
    )
    SELECT id, parent FROM below LIMIT ${MAX_DESCENDANTS}`);

  const load = async (ids: string[]) => {
    if (ids.length === 0) return new Map<string, ShownPost>();
    const rows = await ctx.db.select().from(posts).where(inArray(posts.id, ids));
    const views = await showPosts(ctx, viewerId, rows);
    return new Map(views.map((view) => [view.post.id, view]));
  };
  const [ancestorViews, descendantViews, [shownFocus]] = await Promise.all([
    load(ancestorRows.map((row) => row.id)),
    load(descendantRows.map((row) => row.id)),
    showPosts(ctx, viewerId, [focus.post]),
  ]);

  const ancestors = ancestorRows.map((row) => ancestorViews.get(row.id)).filter((view): view is ShownPost => Boolean(view));
  const children = new Map<string, string[]>();
  for (const row of descendantRows) children.set(row.parent, [...(children.get(row.parent) ?? []), row.id]);
  const descendants: ShownPost[] = [];
  const walk = (parent: string) => {
    for (const id of (children.get(parent) ?? []).sort()) {
      const view = descendantViews.get(id);
      if (!view) continue;
      descendants.push(view);
      walk(id);
    }
  };
  walk(focus.post.id);
  return { focus: shownFocus!, ancestors, descendants };
}
