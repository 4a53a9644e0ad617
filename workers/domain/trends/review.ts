import { and, desc, eq } from "drizzle-orm";
import { auditLog, previewCards, posts, tags, trendDecisions, trends, users, type TrendDay } from "#db/schema/index.ts";
import { assertCan } from "../accounts/permissions.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { TrendKind } from "./refresh.ts";

export type TrendDecision = (typeof trendDecisions.$inferSelect)["decision"];

/**
 * An admin's decision on a trending item: allow (approve a hashtag awaiting review, or show a hidden item again) or
 * hide (reject; it never trends). Admins only, through update:instance:any. Takes effect on the next read. Each
 * decision is an audit entry (`allow_trend` or `hide_trend`, its target the hashtag, post or link), in the same batch.
 */
export async function decideTrend(ctx: DomainContext, kind: TrendKind, key: string, decision: TrendDecision): Promise<void> {
  const actor = assertCan(ctx, "update:instance:any");
  const [item] = await ctx.db
    .select({ key: trends.key })
    .from(trends)
    .where(and(eq(trends.kind, kind), eq(trends.key, key)));
  const [decided] = await ctx.db
    .select({ key: trendDecisions.key })
    .from(trendDecisions)
    .where(and(eq(trendDecisions.kind, kind), eq(trendDecisions.key, key)));
  if (!item && !decided) throw new DomainError("not_found", "Nothing like that is trending");
  const now = new Date();
  await ctx.db.batch([
    ctx.db
      .insert(trendDecisions)
      .values({ kind, key, decision, decidedBy: actor.id, decidedAt: now })
      .onConflictDoUpdate({ target: [trendDecisions.kind, trendDecisions.key], set: { decision, decidedBy: actor.id, decidedAt: now } }),
    ctx.db.insert(auditLog).values({
      moderatorId: actor.id,
      action: TREND_AUDIT_ACTIONS[decision],
      targetKind: kind,
      targetId: key,
      reason: "",
      createdAt: now,
    }),
  ]);
}

/** The audit log's name for each trend decision. */
export const TREND_AUDIT_ACTIONS = { allowed: "allow_trend", hidden: "hide_trend" } as const satisfies Record<TrendDecision, string>;

export interface TrendForReview {
  kind: TrendKind;
  key: string;
  /** What an admin recognises: #name, the link's title or URL, the start of the post's text. */
  label: string;
  score: number;
  accounts: number;
  history: TrendDay[];
  decision: TrendDecision | null;
}

/** Everything the trends job keeps, best first per kind, with any decision: the admin's trends page. */
export async function trendsForReview(ctx: DomainContext): Promise<TrendForReview[]> {
  assertCan(ctx, "update:instance:any");
  const rows = await ctx.db
    .select({
      kind: trends.kind,
      key: trends.key,
      score: trends.score,
      accounts: trends.accounts,
      history: trends.history,
      decision: trendDecisions.decision,
      tagName: tags.name,
      cardTitle: previewCards.title,
      postText: posts.text,
      postAuthor: users.username,
    })
    .from(trends)
    .leftJoin(trendDecisions, and(eq(trendDecisions.kind, trends.kind), eq(trendDecisions.key, trends.key)))
    .leftJoin(tags, and(eq(trends.kind, "tag"), eq(tags.id, trends.key)))
    .leftJoin(previewCards, and(eq(trends.kind, "link"), eq(previewCards.url, trends.key)))
    .leftJoin(posts, and(eq(trends.kind, "post"), eq(posts.id, trends.key)))
    .leftJoin(users, eq(users.id, posts.authorId))
    .orderBy(trends.kind, desc(trends.score))
    .limit(300);
  return rows.map((row) => ({
    kind: row.kind,
    key: row.key,
    label: labelOf(row),
    score: row.score,
    accounts: row.accounts,
    history: row.history,
    decision: row.decision,
  }));
}

function labelOf(row: {
  kind: TrendKind;
  key: string;
  tagName: string | null;
  cardTitle: string | null;
  postText: string | null;
  postAuthor: string | null;
}) {
  switch (row.kind) {
    case "tag":
      return `#${row.tagName ?? row.key}`;
    case "link":
      return row.cardTitle ? `${row.cardTitle} (${row.key})` : row.key;
    case "post":
      return row.postText === null ? "(deleted post)" : `@${row.postAuthor}: ${row.postText.slice(0, 80)}`;
  }
}

/** Used by the page to refuse a kind it does not know with a 4xx rather than a crash. */
export const isTrendKind = (value: string): value is TrendKind => value === "tag" || value === "post" || value === "link";
