import { Link } from "@remix-run/react";
import type { RichText as RichTextData, Token } from "#domain/rich-text.ts";

function TokenView({ token }: { token: Token }) {
  switch (token.type) {
    case "text":
      return token.text;
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

/** Paragraphs and line breaks as written; mentions and hashtags highlighted, links clickable (opening elsewhere). */
export function RichText({ content, lang }: { content: RichTextData; lang?: string | null }) {
  return (
    <div lang={lang ?? undefined} className="space-y-3 leading-relaxed break-words">
      {content.map((paragraph, p) => (
        <p key={p}>
          {paragraph.map((line, l) => (
            <span key={l}>
              {l > 0 && <br />}
              {line.map((token, t) => (
                <TokenView key={t} token={token} />
              ))}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}
