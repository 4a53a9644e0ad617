import type { PublicUser } from "#domain/profiles/profile.ts";
import { parseRichText, type Token } from "#domain/rich-text.ts";
import { escapeHtml } from "#workers/platform/html.ts";

/**
 * Renders post text or a bio as the HTML Mastodon clients expect: paragraphs, <br> for line breaks, and the
 * microformat classes (h-card, u-url mention, hashtag) clients use to make mentions and tags tappable. In posts only
 * mentions of people who exist (`mentioned`) become links; in bios and profile fields every mention does.
 */
export function richTextToHtml(source: string, origin: string, mentioned?: Pick<PublicUser, "username">[]): string {
  const byUsername = mentioned && new Map(mentioned.map((user) => [user.username.toLowerCase(), user]));
  const renderToken = (token: Token): string => {
    switch (token.type) {
      case "text":
        return escapeHtml(token.text);
      case "mention": {
        const user = byUsername ? byUsername.get(token.username.toLowerCase()) : token;
        if (!user) return escapeHtml(token.text);
        const href = escapeHtml(`${origin}/${user.username}`);
        return `<span class="h-card" translate="no"><a href="${href}" class="u-url mention">@<span>${escapeHtml(user.username)}</span></a></span>`;
      }
      case "hashtag": {
        const href = escapeHtml(`${origin}/tags/${encodeURIComponent(token.tag.toLowerCase())}`);
        return `<a href="${href}" class="mention hashtag" rel="tag">#<span>${escapeHtml(token.tag)}</span></a>`;
      }
      case "link":
        return `<a href="${escapeHtml(token.url)}" target="_blank" rel="nofollow noopener noreferrer">${escapeHtml(token.text)}</a>`;
    }
  };
  return parseRichText(source)
    .map((paragraph) => `<p>${paragraph.map((line) => line.map(renderToken).join("")).join("<br>")}</p>`)
    .join("");
}
