import type { MetaDescriptor } from "@remix-run/cloudflare";

/** What the root loader says about this server (root.tsx), as a route's meta function finds it among the matches. */
type Instance = { title: string; description: string };
type Matches = ReadonlyArray<{ id: string; data: unknown }>;

export function instanceOf(matches: Matches): Instance {
  const root = matches.find((match) => match.id === "root")?.data as { instance?: Instance } | undefined;
  return root?.instance ?? { title: "Perch", description: "" };
}

/**
 * A page's title ("Friends · <server>") and description. Remix uses the deepest route's meta alone, so a page that
 * sets a title sets its description too: this server's description unless the page has its own.
 */
export function pageMeta(matches: Matches, title: string, description?: string): MetaDescriptor[] {
  const instance = instanceOf(matches);
  return [{ title: `${title} · ${instance.title}` }, { name: "description", content: description ?? instance.description }];
}

/** The usual meta function: a fixed title, and optionally a description. */
export const titled =
  (title: string, description?: string) =>
  ({ matches }: { matches: Matches }): MetaDescriptor[] =>
    pageMeta(matches, title, description);

/**
 * Open Graph and Twitter card tags, so a link shared elsewhere (chat apps, other networks) shows a preview. The
 * addresses must be absolute.
 */
export function shareMeta(
  matches: Matches,
  share: { title: string; description: string; url: string; image: string | null; type: "article" | "profile"; largeImage: boolean },
): MetaDescriptor[] {
  return [
    { property: "og:site_name", content: instanceOf(matches).title },
    { property: "og:type", content: share.type },
    { property: "og:title", content: share.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    ...(share.image ? [{ property: "og:image", content: share.image }] : []),
    { name: "twitter:card", content: share.largeImage ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: share.title },
    { name: "twitter:description", content: share.description },
    ...(share.image ? [{ name: "twitter:image", content: share.image }] : []),
  ];
}
