import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { countOf } from "#app/plural.ts";
import { useReturnPath } from "./return-path.ts";

type Reaction = PostCardData["reactions"][number];

/** The post reacted to, and where the form comes back to: this post's anchor without JavaScript (see useReturnPath). */
function HiddenFields({ postId, rowId }: { postId: string; rowId: string }) {
  const returnPath = useReturnPath(`post-${rowId}`);
  return (
    <>
      <input type="hidden" name="postId" value={postId} />
      <input type="hidden" name="redirectTo" value={returnPath} />
    </>
  );
}

/** One emoji's count; signed in, a toggle for your own reaction with that emoji (a form, optimistic with JavaScript). */
function ReactionChip({
  postId,
  rowId,
  reaction,
  mine,
  canReact,
}: {
  postId: string;
  rowId: string;
  reaction: Reaction;
  mine: boolean;
  canReact: boolean;
}) {
  const fetcher = useFetcher({ key: `react:${postId}:${reaction.emoji}` });
  const chip = "rounded-full border border-line px-2 py-0.5";
  if (!canReact) return <li className={chip}>{`${reaction.emoji} ${reaction.count}`}</li>;
  const pending = fetcher.formData?.get("intent");
  const pressed = pending ? pending === "react" : mine;
  const count = reaction.count + (pressed === mine ? 0 : pressed ? 1 : -1);
  return (
    <li>
      <fetcher.Form method="post" action="/resources/engage">
        <HiddenFields postId={postId} rowId={rowId} />
        <input type="hidden" name="emoji" value={reaction.emoji} />
        <button
          type="submit"
          name="intent"
          value={pressed ? "unreact" : "react"}
          aria-pressed={pressed}
          className={`${chip} hover:bg-raised aria-pressed:border-accent aria-pressed:bg-accent-soft`}
        >
          <span aria-hidden="true">{`${reaction.emoji} ${count}`}</span>
          <span className="sr-only">{`${reaction.emoji}: ${countOf(count, { one: "reaction", other: "reactions" })}${pressed ? ", including yours" : ""}`}</span>
        </button>
      </fetcher.Form>
    </li>
  );
}

/** The reactions on a post; on its own page, signed in, a field to react with any emoji. */
export function Reactions({ post, canReact, withPicker }: { post: PostCardData; canReact: boolean; withPicker: boolean }) {
  const id = useId();
  if (post.reactions.length === 0 && !(canReact && withPicker)) return null;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      {post.reactions.length > 0 && (
        <ul aria-label="Reactions" className="flex flex-wrap gap-1.5">
          {post.reactions.map((reaction) => (
            <ReactionChip
              key={reaction.emoji}
              postId={post.id}
              rowId={post.rowId}
              reaction={reaction}
              mine={Boolean(post.viewer?.reactions.includes(reaction.emoji))}
              canReact={canReact}
            />
          ))}
        </ul>
      )}
      {canReact && withPicker && (
        <form method="post" action="/resources/engage" className="flex items-center gap-1.5">
          <HiddenFields postId={post.id} rowId={post.rowId} />
          <label htmlFor={`${id}-emoji`} className="sr-only">
            React with an emoji
          </label>
          <input
            id={`${id}-emoji`}
            name="emoji"
            required
            maxLength={16}
            placeholder="🙂"
            className="w-16 rounded-full border border-line bg-surface px-3 py-0.5 text-center"
          />
          <button type="submit" name="intent" value="react" className="rounded-full border border-line px-3 py-0.5 hover:bg-raised">
            React
          </button>
        </form>
      )}
    </div>
  );
}
