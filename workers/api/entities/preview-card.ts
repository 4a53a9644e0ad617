import { z } from "@hono/zod-openapi";
import type { PreviewCard } from "#domain/links/preview-cards.ts";

export const PreviewCardSchema = z
  .object({
    url: z.url(),
    title: z.string(),
    description: z.string(),
    type: z.literal("link"),
    author_name: z.string(),
    author_url: z.string(),
    provider_name: z.string(),
    provider_url: z.string(),
    html: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    image: z.url().nullable().openapi({ description: "A copy of the page's image served from this server." }),
    image_description: z.string(),
    embed_url: z.string(),
    blurhash: z.null(),
  })
  .openapi("PreviewCard", { description: "Mastodon's PreviewCard: the first link's page title, description and image." });

export function presentPreviewCard(card: PreviewCard, origin: string): z.infer<typeof PreviewCardSchema> {
  return {
    url: card.url,
    title: card.title,
    description: card.description,
    type: "link",
    author_name: "",
    author_url: "",
    provider_name: card.providerName,
    provider_url: "",
    html: "",
    width: card.imageWidth ?? 0,
    height: card.imageHeight ?? 0,
    image: card.imageKey ? `${origin}/media/${card.imageKey}` : null,
    image_description: "",
    embed_url: "",
    blurhash: null,
  };
}
