import { z } from "zod";
import { parseKeyRing } from "#domain/messages/encryption.ts";
import { LOG_LEVELS } from "./logger.ts";

/**
 * The configuration the Worker needs, checked once per isolate before the first request is served. Bindings are
 * checked for presence only; their types come from wrangler (workers/worker-configuration.d.ts).
 */
const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const configSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "staging", "production"]),
    INSTANCE_TITLE: z.string().min(1),
    INSTANCE_DESCRIPTION: z.string(),
    CONTACT_EMAIL: z.email(),
    PUBLIC_ORIGIN: z.url().optional(),
    /** The least severe log line written; "warn" in development, where each line costs ~2.7 ms (logger.ts). */
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    POST_MAX_CHARACTERS: z.coerce.number().int().min(1).max(100_000).default(500),
    /** Entries kept in each person's Following feed (docs/decisions/0022). */
    HOME_FEED_SIZE: z.coerce.number().int().min(40).max(10_000).default(800),
    /** Accounts with more followers are not fanned out on write; readers merge their posts in (docs/decisions/0022). */
    HOME_FANOUT_MAX_FOLLOWERS: z.coerce.number().int().min(0).default(10_000),
    /** Readers away longer than this many days are skipped by fan-out; their feeds are rebuilt when they return (docs/decisions/0030). */
    HOME_INACTIVE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** A For-you feed gets a new ranked batch on top when its newest is at least this old (docs/decisions/0029). */
    FOR_YOU_REFRESH_SECONDS: z.coerce.number().int().min(0).default(60),
    /** Ranked entries kept in each person's For-you feed (docs/decisions/0029). */
    FOR_YOU_SIZE: z.coerce.number().int().min(40).max(5_000).default(400),
    EMAIL_FROM: z.string().min(3).default("Perch <no-reply@perch.local>"),
    GITHUB_AUTHORIZE_URL: z.url().default("https://github.com/login/oauth/authorize"),
    GITHUB_TOKEN_URL: z.url().default("https://github.com/login/oauth/access_token"),
    GITHUB_API_URL: z.url().default("https://api.github.com"),
    GOOGLE_AUTHORIZE_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
    GOOGLE_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
    GOOGLE_USERINFO_URL: z.url().default("https://openidconnect.googleapis.com/v1/userinfo"),
    /** DNS-over-HTTPS (JSON) resolver used to check that links point at public addresses before fetching them. */
    DNS_RESOLVER_URL: z.url().default("https://cloudflare-dns.com/dns-query"),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
    /** Encrypts message bodies at rest: one secret, or "<version>:<secret>,..." newest first (docs/decisions/0036). */
    MESSAGE_ENCRYPTION_KEY: z.string().superRefine((value, issue) => {
      try {
        parseKeyRing(value);
      } catch (error) {
        issue.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
    GITHUB_CLIENT_ID: optionalSecret,
    GITHUB_CLIENT_SECRET: optionalSecret,
    GOOGLE_CLIENT_ID: optionalSecret,
    GOOGLE_CLIENT_SECRET: optionalSecret,
    ANTHROPIC_API_KEY: optionalSecret,
    /** Where the Messages API is: tests and local runs point it at a stand-in (docs/decisions/0040). */
    ANTHROPIC_BASE_URL: z.url().default("https://api.anthropic.com"),
    /** The model that classifies posts for moderation. */
    ANTHROPIC_MODEL: z.string().min(1).default("claude-haiku-4-5"),
    /** How long one Messages call may take before it counts as a timeout, which the moderation queue retries. */
    ANTHROPIC_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(20_000),
  })
  // Links in emails (password resets, sign-in links) are built from the origin; taken from the request's Host header,
  // anyone could have one point at their own site. Only development and tests may go without.
  .refine((config) => config.PUBLIC_ORIGIN || config.ENVIRONMENT === "development" || config.ENVIRONMENT === "test", {
    path: ["PUBLIC_ORIGIN"],
    message: "is required in staging and production",
  });

const requiredBindings = [
  "DB",
  "MEDIA",
  "IMAGES",
  "USER_HUB",
  "CONVERSATION_ROOM",
  "STREAM_RELAY",
  "LOCAL_VECTOR_INDEX",
  "FANOUT_QUEUE",
  "MODERATION_QUEUE",
  "NOTIFICATIONS_QUEUE",
  "EMBEDDINGS_QUEUE",
  "API_RATE_LIMIT",
  "AUTH_RATE_LIMIT",
  "EMAIL",
] as const satisfies readonly (keyof Env)[];

export type Config = z.infer<typeof configSchema>;

export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/** Lists every problem at once, each naming the variable or binding, so one restart fixes them all. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  for (const binding of requiredBindings) {
    if (!env[binding]) problems.push(`${binding}: binding is missing (see wrangler.toml)`);
  }
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join(".");
      const value = (env as unknown as Record<string, unknown>)[name];
      const unset = value === undefined || value === "";
      problems.push(`${name}: ${unset ? "is not set (see .dev.vars.example)" : issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigurationError(`Perch is not configured correctly:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data;
}

const parsedConfigs = new WeakMap<Env, Config>();

/** parseConfig, remembered per env object: the env a Worker isolate receives does not change between requests. */
export function configOf(env: Env): Config {
  let config = parsedConfigs.get(env);
  if (!config) {
    config = parseConfig(env);
    parsedConfigs.set(env, config);
  }
  return config;
}
