import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";

/**
 * Who has a live socket listening to which channel right now (docs/decisions/0032): written by the user's hub when a
 * socket subscribes and removed when its last listener leaves, so a publisher wakes only the hubs that will deliver.
 * A row left behind by a hub that was evicted is removed the next time a publish finds no socket behind it.
 */
export const liveListeners = sqliteTable(
  "live_listeners",
  {
    /** user, notifications, direct, public, public:media, public:remote, hashtag:<lower-case tag>, list:<id>. */
    channel: text("channel").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The origin the socket connected through: links in the entities pushed to it are built from it. */
    origin: text("origin").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.userId] }), index("live_listeners_user_idx").on(t.userId)],
);
