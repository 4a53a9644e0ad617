import { createCookie } from "@remix-run/cloudflare";
import { z } from "zod";

export const feeds = ["following", "for-you", "latest"] as const;
export type Feed = (typeof feeds)[number];

/** The home tab last chosen: a plain preference, not a secret, remembered for a year in this browser. */
const feedCookie = createCookie("perch_feed", { path: "/", sameSite: "lax", httpOnly: true, secure: true, maxAge: 60 * 60 * 24 * 365 });

/**
 * Which home feed a signed-in person sees: the one the address asks for (?feed=, a tab), else the one they chose last,
 * else Following; with the cookie to set when the address chose.
 */
export async function chosenFeed(request: Request): Promise<{ feed: Feed; setCookie: string | null }> {
  const asked = z.enum(feeds).safeParse(new URL(request.url).searchParams.get("feed"));
  if (asked.success) return { feed: asked.data, setCookie: await feedCookie.serialize(asked.data) };
  const remembered = z.enum(feeds).safeParse(await feedCookie.parse(request.headers.get("Cookie")));
  return { feed: remembered.success ? remembered.data : "following", setCookie: null };
}
