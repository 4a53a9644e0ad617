/**
 * Mastodon's OAuth scopes. A top-level scope grants all of its sub-scopes (read grants read:statuses); the deprecated
 * `follow` grants the follow/block/mute sub-scopes; `profile` grants only verify_credentials.
 */
const subScopes = {
  read: ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"],
  write: [
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
  ],
  "admin:read": ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"],
  "admin:write": ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"],
} as const;

const followGrants = ["read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"];

export const ALL_SCOPES: readonly string[] = [
  "read",
  "write",
  "follow",
  "push",
  "profile",
  "admin:read",
  "admin:write",
  ...Object.entries(subScopes).flatMap(([parent, children]) => children.map((child) => `${parent}:${child}`)),
];

/** Splits a scope string ("read write:statuses"), reporting any scope Mastodon does not define. */
export function parseScopes(value: string | undefined, fallback = "read"): { scopes: string[]; unknown: string[] } {
  const scopes = [...new Set((value?.trim() || fallback).split(/[\s+]+/).filter(Boolean))];
  return { scopes, unknown: scopes.filter((scope) => !ALL_SCOPES.includes(scope)) };
}

/** Whether granted scopes cover one required scope. */
export function grants(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const parent = required.slice(0, required.lastIndexOf(":"));
  if (required.includes(":") && granted.includes(parent)) return true;
  if (required === "profile") return granted.includes("read") || granted.includes("read:accounts");
  return granted.includes("follow") && followGrants.includes(required);
}

/** Whether the granted scopes cover at least one of the alternatives. */
export function grantsAny(granted: readonly string[], alternatives: readonly string[]): boolean {
  return alternatives.some((scope) => grants(granted, scope));
}

/** Whether every requested scope is within what an app registered for. */
export function withinScopes(registered: readonly string[], requested: readonly string[]): boolean {
  return requested.every((scope) => grants(registered, scope));
}

const scopeDescriptions: Record<string, string> = {
  read: "Read everything your account can see",
  write: "Post, edit and delete, and change your account",
  follow: "Follow, block and mute people",
  push: "Receive your push notifications",
  profile: "Know who you are (your public profile only)",
};

/** What a scope lets an app do, in words for the consent page and the API's documentation. */
export function describeScope(scope: string): string {
  if (scopeDescriptions[scope]) return scopeDescriptions[scope];
  const admin = scope.startsWith("admin:");
  const [kind, what] = (admin ? scope.slice("admin:".length) : scope).split(":");
  const verb = kind === "read" ? "Read" : "Change";
  if (!admin) return `${verb} your ${what?.replace(/_/g, " ")}`;
  return `${verb} ${what ? `the server's ${what.replace(/_/g, " ")}` : "everything on the server"} (administrators)`;
}
