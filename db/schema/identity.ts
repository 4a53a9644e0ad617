import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { newId } from "../ids.ts";
import { users } from "./accounts.ts";

/**
 * Browser sessions. The cookie holds a random token; the row is keyed by the token's SHA-256, so a copy of the
 * database cannot be turned into working cookies.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const verificationPurposes = ["verify-email", "change-email", "reset-password", "two-factor-login", "oauth-code"] as const;

/**
 * Every single-use link and code (email verification, password reset, email change, the second step of a 2FA
 * log-in, OAuth authorization codes), as in the Epic Stack: hashed token, purpose, expiry, and the moment it was used.
 */
export const verifications = sqliteTable(
  "verifications",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    purpose: text("purpose", { enum: verificationPurposes }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("verifications_token_unique").on(t.tokenHash), index("verifications_user_idx").on(t.userId, t.purpose)],
);

/**
 * Every log-in attempt, successful or not: shown to the user, and the basis of per-account throttling. An attempt on
 * an account that does not exist has no user but a keyed hash of the identifier typed, so it is throttled alike.
 */
export const loginEvents = sqliteTable(
  "login_events",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    identifierHash: text("identifier_hash"),
    success: integer("success", { mode: "boolean" }).notNull(),
    method: text("method").notNull(),
    reason: text("reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("login_events_user_idx").on(t.userId, t.createdAt),
    index("login_events_identifier_idx")
      .on(t.identifierHash, t.createdAt)
      .where(sql`${t.identifierHash} is not null`),
  ],
);

/** A TOTP secret (encrypted at rest); enabledAt stays null until the user proves their app produces valid codes. */
export const twoFactorSecrets = sqliteTable("two_factor_secrets", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  /** The last time step accepted, so a code cannot be replayed. */
  lastUsedStep: integer("last_used_step"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  enabledAt: integer("enabled_at", { mode: "timestamp_ms" }),
});

export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => newId()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const identityProviders = ["github", "google"] as const;

/** Accounts at OAuth providers (GitHub, Google) connected to a Perch user for signing in. */
export const connections = sqliteTable(
  "connections",
  {
    provider: text("provider", { enum: identityProviders }).notNull(),
    providerUserId: text("provider_user_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email"),
    username: text("username"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerUserId] }), index("connections_user_idx").on(t.userId)],
);
