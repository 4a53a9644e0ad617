import { z } from "@hono/zod-openapi";
import { visibilities } from "#db/schema/index.ts";

/**
 * Who may see a post, as Perch means it: Mastodon's four visibilities and `friends` (mutual friends only). Requests
 * accept all five; answers carry this only in `perch` extension fields (ADR 0019).
 */
export const PerchVisibilitySchema = z.enum(visibilities).openapi("PerchVisibility", {
  description: "Mastodon's visibilities, plus `friends` (Perch: mutual friends only).",
});

/**
 * Mastodon's own visibilities: the only values its `visibility` fields carry, since strict clients refuse others.
 * `friends` is shown as `private` there, the nearest Mastodon audience (not public, not boostable, not a direct message).
 */
export const MastodonVisibilitySchema = PerchVisibilitySchema.exclude(["friends"]).openapi("Visibility", {
  description: "Mastodon's four visibilities. A friends-only post is `private` here; its `perch` field says `friends`.",
});

export type PerchVisibility = z.infer<typeof PerchVisibilitySchema>;
export type MastodonVisibility = z.infer<typeof MastodonVisibilitySchema>;

/** The value a Mastodon field shows for a Perch visibility. */
export function mastodonVisibility(visibility: PerchVisibility): MastodonVisibility {
  return visibility === "friends" ? "private" : visibility;
}
