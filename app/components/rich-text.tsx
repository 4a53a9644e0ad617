import { Link } from "@remix-run/react";
import type { RichText as RichTextData, Token } from "#domain/rich-text.ts";

/** Plain text with the server's custom emoji (:shortcode:) drawn as images named by their shortcode. */
function TextWithEmoji({ text, emojis }: { text: string; emojis: Emojis }) {
  const parts = text.split(/(:[A-Za-z0-9_]{2,30}:)/);
  if (parts.length === 1) return text;
  return parts.map((part, index) => {
    const url = index % 2 === 1 ? emojis[part.slice(1, -1)] : undefined;
    if (!url) return part;
    return <img key={index} src={url} alt={part} title={part} width={20} height={20} className="inline-block size-5 align-text-bottom" />;
  });
}

/** Custom emoji by shortcode: where each one's image is. */
type Emojis = Record<string, string>;

function TokenView({ token, emojis }: { token: Token; emojis: Emojis }) {
  switch (token.type) {
    case "text":
      return <TextWithEmoji text={token.text} emojis={emojis} />;
    case "mention":
      return (
        <Link to={`/${token.username}`} className="text-accent underline decoration-1 underline-offset-2">
          {token.text}
        </Link>
      );
    case "hashtag":
      return (
        <Link to={`/tags/${encodeURIComponent(token.tag.toLowerCase())}`} className="text-accent underline decoration-1 underline-offset-2">
          {token.text}
        </Link>
      );
    case "link":
      return (
        <a
          href={token.url}
          rel="nofollow noopener noreferrer"
          target="_blank"
          className="break-all text-accent underline underline-offset-2"
        >
          {token.text.replace(/^https?:\/\/(www\.)?/, "")}
        </a>
      );
  }
}

/**
 * Paragraphs and line breaks as written; mentions and hashtags highlighted, links clickable (opening elsewhere); the
 * server's custom emoji drawn as images.
 */
export function RichText({ content, lang, emojis = {} }: { content: RichTextData; lang?: string | null; emojis?: Emojis }) {
  return (
    <div lang={lang ?? undefined} className="space-y-3 leading-relaxed break-words">
      {content.map((paragraph, p) => (
        <p key={p}>
          {paragraph.map((line, l) => (
            <span key={l}>
              {l > 0 && <br />}
              {line.map((token, t) => (
                <TokenView key={t} token={token} emojis={emojis} />
              ))}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}
