import type { mediaDisplays } from "#db/schema/index.ts";

// Kept apart from reading.ts (which writes to D1): the pages' components use this rule in the browser too.

export type MediaDisplay = (typeof mediaDisplays)[number];

/**
 * Whether a post's media are covered for a reader (behind a "show" button): those marked sensitive unless the reader
 * shows all, and every post's when the reader covers all. Visitors read with the default.
 */
export function coversMedia(sensitive: boolean, display: MediaDisplay = "default"): boolean {
  if (display === "show_all") return false;
  return display === "hide_all" || sensitive;
}
