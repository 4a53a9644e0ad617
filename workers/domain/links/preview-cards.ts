import { decodeHTML } from "entities";
import { eq } from "drizzle-orm";
import { posts, previewCards } from "#db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import { encodeWebp, readImageSize, scaledDown } from "../media/images.ts";
import { sniffImageType } from "../media/sniff.ts";
import { storeMedia } from "../media/storage.ts";
import { parseRichText } from "../rich-text.ts";
import { safeFetch, UnsafeUrlError } from "./safe-fetch.ts";

export type PreviewCard = typeof previewCards.$inferSelect;

const PAGE_LIMITS = { maxBytes: 1024 * 1024, timeoutMs: 5000, maxRedirects: 3, accept: "text/html,application/xhtml+xml" };
const IMAGE_LIMITS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 5000, maxRedirects: 3, accept: "image/*" };
const IMAGE_BOX = { width: 640, height: 640 };
const MAX_URL_LENGTH = 2048;

/** The link a post's card shows: the first http(s) link in its text, without its fragment. */
export function cardUrlOf(text: string): string | null {
  for (const token of parseRichText(text).flat(2)) {
    if (token.type !== "link") continue;
    const url = new URL(token.url);
    url.hash = "";
    return url.href.length <= MAX_URL_LENGTH ? url.href : null;
  }
  return null;
}

/**
 * The statement that makes sure a card for the link exists or is on its way, for the batch that writes the post: a
 * new link gets a pending row, which the handler of the post's event fetches; a link seen before (by any post)
 * reuses its card.
 */
export function previewCardStatement(ctx: DomainContext, url: string) {
  return ctx.db.insert(previewCards).values({ url }).onConflictDoNothing();
}

/** Fetches the card of a post's link if it is still pending (post.created and post.edited). */
export async function fetchPreviewCardOf(
  ctx: DomainContext,
  postId: string,
): Promise<{ state: PreviewCard["state"]; reason?: string } | null> {
  const post = await ctx.db.query.posts.findFirst({ where: eq(posts.id, postId), columns: { cardUrl: true } });
  return post?.cardUrl ? fetchPreviewCard(ctx, post.cardUrl) : null;
}

interface PageMetadata {
  title: string;
  description: string;
  siteName: string;
  image: string | null;
}

const clean = (value: string | undefined, max: number) =>
  decodeHTML(value ?? "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);

/** Open Graph and Twitter card tags, falling back to the page's title and description. */
async function readMetadata(html: Uint8Array, contentType: string): Promise<PageMetadata> {
  const meta = new Map<string, string>();
  let title = "";
  const rewriter = new HTMLRewriter()
    .on("meta", {
      element(element) {
        const key = (element.getAttribute("property") ?? element.getAttribute("name") ?? "").toLowerCase();
        const content = element.getAttribute("content");
        if (key && content && !meta.has(key)) meta.set(key, content);
      },
    })
    .on("title", {
      text(chunk) {
        title += chunk.text;
      },
    });
  await rewriter.transform(new Response(html as Uint8Array<ArrayBuffer>, { headers: { "Content-Type": contentType } })).arrayBuffer();
  const image = meta.get("og:image") ?? meta.get("og:image:url") ?? meta.get("twitter:image");
  return {
    title: clean(meta.get("og:title") ?? meta.get("twitter:title") ?? title, 200),
    description: clean(meta.get("og:description") ?? meta.get("twitter:description") ?? meta.get("description"), 500),
    siteName: clean(meta.get("og:site_name"), 100),
    image: image ? decodeHTML(image).trim() : null,
  };
}

/** The card's picture, fetched with the same protections and re-encoded into R2 so readers never load it from the site. */
async function storeCardImage(ctx: DomainContext, address: string): Promise<Pick<PreviewCard, "imageKey" | "imageWidth" | "imageHeight">> {
  const fetched = await safeFetch(ctx, address, IMAGE_LIMITS);
  if (!fetched.complete) throw new UnsafeUrlError("The image is larger than 5 MB");
  if (!sniffImageType(fetched.body)) throw new UnsafeUrlError("The image is not a JPEG, PNG, GIF, WebP or AVIF");
  const size = await readImageSize(ctx, fetched.body);
  const webp = await encodeWebp(ctx, fetched.body, { ...IMAGE_BOX, fit: "scale-down" });
  const imageKey = await storeMedia(ctx, { prefix: "cards", bytes: webp, extension: "webp", contentType: "image/webp" });
  const scaled = scaledDown(size, IMAGE_BOX);
  return { imageKey, imageWidth: scaled.width, imageHeight: scaled.height };
}

/**
 * The fan-out queue's preview job: fetches the page (see safeFetch), reads its metadata and picture, and marks the
 * card ready; a page that cannot or may not be fetched, or says nothing, marks it failed, for good. Returns the state
 * and, when failed, why (for the log).
 */
export async function fetchPreviewCard(ctx: DomainContext, url: string): Promise<{ state: PreviewCard["state"]; reason?: string }> {
  const card = await ctx.db.query.previewCards.findFirst({ where: eq(previewCards.url, url) });
  // Queues deliver at least once: a card already settled is left as it is.
  if (!card || card.state !== "pending") return { state: card?.state ?? "failed", reason: card ? undefined : "No such card" };
  const fail = async (reason: string) => {
    await ctx.db.update(previewCards).set({ state: "failed", fetchedAt: new Date() }).where(eq(previewCards.url, url));
    return { state: "failed" as const, reason };
  };
  let page;
  try {
    page = await safeFetch(ctx, url, PAGE_LIMITS);
  } catch (error) {
    if (error instanceof UnsafeUrlError) return fail(error.message);
    throw error;
  }
  if (!/^(text\/html|application\/xhtml\+xml)/i.test(page.contentType)) return fail(`Not a web page (${page.contentType || "no type"})`);
  const metadata = await readMetadata(page.body, page.contentType);
  if (!metadata.title) return fail("The page has no title");
  let image: Awaited<ReturnType<typeof storeCardImage>> = { imageKey: null, imageWidth: null, imageHeight: null };
  if (metadata.image && URL.canParse(metadata.image, page.url)) {
    try {
      image = await storeCardImage(ctx, new URL(metadata.image, page.url).href);
    } catch (error) {
      // The card is still worth showing without its picture.
      if (!(error instanceof UnsafeUrlError || error instanceof DomainError)) throw error;
    }
  }
  await ctx.db
    .update(previewCards)
    .set({
      state: "ready",
      title: metadata.title,
      description: metadata.description,
      providerName: metadata.siteName || new URL(page.url).hostname,
      ...image,
      fetchedAt: new Date(),
    })
    .where(eq(previewCards.url, url));
  return { state: "ready" };
}
