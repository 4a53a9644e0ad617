import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";

/** OAuth client applications registered through POST /api/v1/apps (Mastodon's Application). */
export const apps = sqliteTable(
  "apps",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    name: text("name").notNull(),
    website: text("website"),
    /** Newline-separated, as Mastodon stores them. */
    redirectUris: text("redirect_uris").notNull(),
    /** Space-separated. */
    scopes: text("scopes").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretHash: text("client_secret_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("apps_client_id_unique").on(t.clientId)],
);

/**
 * Bearer tokens: user tokens from the authorization-code flow, app-only tokens from client_credentials (no user), and
 * personal access tokens (no app). Stored as hashes; the token itself is shown once.
 */
export const accessTokens = sqliteTable(
  "access_tokens",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    tokenHash: text("token_hash").notNull(),
    refreshTokenHash: text("refresh_token_hash"),
    appId: text("app_id").references(() => apps.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    name: text("name"),
    scopes: text("scopes").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("access_tokens_token_unique").on(t.tokenHash),
    uniqueIndex("access_tokens_refresh_unique").on(t.refreshTokenHash),
    index("access_tokens_user_idx").on(t.userId, t.appId),
  ],
);

export const emailStatuses = ["pending", "sent", "failed"] as const;

/**
 * Outgoing email. The notifications queue carries only the row id (never the content, which may hold a link that
 * signs someone in); the consumer sends it and, outside development, erases the body once sent. In development the
 * rows are the mailbox shown at /dev/mailbox.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    /** Names emails that are limited per recipient (signup-attempt), so the limit can count them. */
    kind: text("kind"),
    text: text("text"),
    html: text("html"),
    /** Extra headers, such as List-Unsubscribe on notification emails (RFC 8058). */
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>(),
    status: text("status", { enum: emailStatuses }).notNull().default("pending"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("outbox_created_idx").on(t.createdAt),
    index("outbox_kind_idx")
      .on(t.kind, t.to, t.createdAt)
      .where(sql`${t.kind} is not null`),
  ],
);
