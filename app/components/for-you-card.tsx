import { Form } from "@remix-run/react";
import type { ForYouCardData } from "#app/presenters/for-you-card.server.ts";
import { PostCard } from "./post-card.tsx";
import { useReturnPath } from "./return-path.ts";

const action = "inline-flex min-h-6 items-center rounded-full px-2 py-1 text-sm text-muted hover:bg-raised hover:text-ink";

/** One feedback button: a real form, so it works without JavaScript and comes back to this card. */
function FeedbackForm({ item, intent, children }: { item: ForYouCardData; intent: string; children: string }) {
  const returnPath = useReturnPath(`for-you-${item.rowId}`);
  return (
    <Form method="post" action="/resources/for-you" preventScrollReset>
      <input type="hidden" name="postId" value={item.postId} />
      <input type="hidden" name="authorId" value={item.author.id} />
      <input type="hidden" name="redirectTo" value={returnPath} />
      <button type="submit" name="intent" value={intent} className={action}>
        {children}
      </button>
    </Form>
  );
}

/**
 * A post of the For-you feed with why it is shown and the two feedback buttons; once the reader turns it away, a
 * short note in its place with the undo.
 */
export function ForYouCard({ item, now }: { item: ForYouCardData; now: number }) {
  const anchor = `for-you-${item.rowId}`;
  if (!item.card) {
    return (
      <div id={anchor} className="flex scroll-mt-20 flex-wrap items-center justify-between gap-2 border-b border-line px-4 py-3 text-sm">
        <p className="text-muted">
          {item.hiddenBy === "show_less"
            ? "Thanks. You'll see fewer posts like this."
            : `Thanks. You won't see posts by @${item.author.username} in For you.`}
        </p>
        <FeedbackForm item={item} intent={item.hiddenBy === "show_less" ? "undo-show-less" : "undo-not-interested"}>
          Undo
        </FeedbackForm>
      </div>
    );
  }
  return (
    <div id={anchor} className="scroll-mt-20 border-b border-line">
      <p className="px-4 pt-3 text-sm text-muted">
        <span className="sr-only">Why you see this: </span>
        {item.reason}
      </p>
      <div className="[&>article]:border-b-0">
        <PostCard post={item.card} now={now} />
      </div>
      <div role="group" aria-label="Tune your For-you feed" className="flex flex-wrap gap-2 px-3 pb-2">
        <FeedbackForm item={item} intent="show-less">
          Show less like this
        </FeedbackForm>
        <FeedbackForm item={item} intent="not-interested">
          {`Not interested in @${item.author.username}`}
        </FeedbackForm>
      </div>
    </div>
  );
}
