import { and, eq, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { users } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { newestFirst, pageBounds, pageOf, type Page, type PageRequest } from "../pagination.ts";
import { publicUserColumns, type PublicUser } from "./profile.ts";

/**
 * One page of the accounts at the other end of a table's rows (followers, blocks, who liked a post...), newest row
 * first. The cursor is the row's rowid, as Mastodon pages these lists by its own row ids rather than the accounts',
 * so a Link header leads through them in the order the rows were made.
 */
export async function accountPage(
  ctx: DomainContext,
  table: SQLiteTable,
  rows: SQL | undefined,
  account: SQLiteColumn,
  page: PageRequest,
): Promise<Page<PublicUser>> {
  const rowid = sql<number>`${table}.rowid`;
  const bounds = pageBounds(rowid, page, { numeric: true });
  const read = await ctx.db
    .select({ cursor: rowid, account: publicUserColumns })
    .from(table)
    .innerJoin(users, eq(users.id, account))
    .where(and(rows, bounds.where))
    .orderBy(bounds.orderBy)
    .limit(page.limit);
  const newest = newestFirst(read, bounds.ascending);
  return pageOf(
    newest.map((row) => row.account),
    newest.map((row) => String(row.cursor)),
    page,
  );
}
