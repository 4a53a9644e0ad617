import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";

/** What a daily count is about: a post's impressions, or visits to a profile. */
export const analyticsSubjects = ["post", "profile"] as const;

/**
 * Distinct viewers of a post or a profile per UTC day, for its owner's analytics (docs/decisions/0053). Never a row per
 * viewer: `registers` is a HyperLogLog sketch (a JSON array of small integers) of keyed, per-day hashes of the
 * viewers, merged by one atomic UPDATE; once the day is over the hourly job folds it into `viewers` and drops it.
 */
export const analyticsDaily = sqliteTable(
  "analytics_daily",
  {
    subjectKind: text("subject_kind", { enum: analyticsSubjects }).notNull(),
    /** The post's or the profile owner's id; no foreign key, so a deleted post's impressions still count for its day. */
    subjectId: text("subject_id").notNull(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The UTC day, YYYY-MM-DD. */
    day: text("day").notNull(),
    /** The day's sketch while it may still grow; null once folded. */
    registers: text("registers", { mode: "json" }).$type<number[]>(),
    /** The folded count of distinct viewers (0 until the day is folded). */
    viewers: integer("viewers").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.subjectKind, t.subjectId, t.day] }),
    index("analytics_daily_owner_idx").on(t.ownerId, t.subjectKind, t.day),
  ],
);
