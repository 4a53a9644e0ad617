import { Form, Link, useLocation } from "@remix-run/react";
import { useRef } from "react";
import type { PostCardData } from "#app/presenters/post-card.server.ts";
import { MarkForm } from "./engagement-bar.tsx";
import { PinIcon, ThumbDownIcon } from "./icons.tsx";

const item = "flex w-full items-center gap-3 px-4 py-2.5 text-left hover:bg-raised";

/**
 * A post's "···" menu (a <details>, so it works without JavaScript). The author's: edit, see earlier versions, pin to
 * or unpin from their profile, delete (after confirming), or delete and write it again. Anyone else's: the private dislike, kept out of the everyday bar, and reporting it to the moderators.
 * Everyone's: sending it into a conversation.
 */
export function PostMenu({ post, own }: { post: PostCardData; own: boolean }) {
  return (
    <details className="relative shrink-0">
      <summary
        title="More"
        className="flex size-8 cursor-pointer list-none items-center justify-center rounded-full text-muted hover:bg-raised"
      >
        <span aria-hidden="true">···</span>
        <span className="sr-only">{own ? "Your post: actions" : "More actions on this post"}</span>
      </summary>
      <div className="absolute right-0 z-10 mt-1 w-64 overflow-hidden rounded-lg border border-line bg-surface py-1 text-sm shadow-lg">
        {own ? (
          <AuthorActions post={post} />
        ) : (
          <>
            <DislikeAction post={post} />
            <Link to={`/${post.author.username}/report?post=${post.id}`} className={`${item} text-danger`}>
              Report this post
            </Link>
          </>
        )}
        {/* A page to pick the conversation: a plain link and form, with or without JavaScript (ADR 0055). */}
        <Link to={`/messages/share?${new URLSearchParams({ post: post.id })}`} className={item}>
          Send in a message
        </Link>
      </div>
    </details>
  );
}

function DislikeAction({ post }: { post: PostCardData }) {
  return (
    <MarkForm
      postId={post.id}
      rowId={post.rowId}
      mark={{ on: "dislike", off: "undislike", pressed: Boolean(post.viewer?.disliked), count: null }}
      className={`${item} aria-pressed:text-accent`}
    >
      {({ pressed }) => (
        <>
          <ThumbDownIcon />
          <span>
            {pressed ? "Undo “Show less like this”" : "Show less like this"}
            <span className="block text-xs text-muted">Only you see this.</span>
          </span>
        </>
      )}
    </MarkForm>
  );
}

function AuthorActions({ post }: { post: PostCardData }) {
  const location = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const postPath = `/${post.author.username}/status/${post.id}`;
  const back = location.pathname + location.search;
  return (
    <>
      <Link to={`${postPath}/edit`} className={item}>
        Edit
      </Link>
      <Link to={`/analytics/${post.id}`} className={item}>
        Analytics
      </Link>
      {post.editedAt && (
        <Link to={`${postPath}/history`} className={item}>
          Edit history
        </Link>
      )}
      {/* A direct post cannot be pinned (the domain refuses it too); the rest can, up to five. */}
      {post.visibility !== "direct" && (
        <Form method="post" action="/resources/engage">
          <input type="hidden" name="postId" value={post.id} />
          <input type="hidden" name="redirectTo" value={back} />
          <button type="submit" name="intent" value={post.viewer?.pinned ? "unpin" : "pin"} className={item}>
            <PinIcon />
            {post.viewer?.pinned ? "Unpin from your profile" : "Pin to your profile"}
          </button>
        </Form>
      )}
      <Form method="post" action="/resources/post">
        <input type="hidden" name="postId" value={post.id} />
        <input type="hidden" name="redirectTo" value={back} />
        <button type="submit" name="intent" value="redraft" className={item}>
          Delete and redraft
        </button>
      </Form>
      {/* Without JavaScript a confirmation page asks first; with it, a dialog on this page. */}
      <a
        href={`${postPath}/delete?${new URLSearchParams({ redirectTo: back })}`}
        className={`${item} text-danger`}
        onClick={(event) => {
          if (!dialog.current) return;
          event.preventDefault();
          dialog.current.showModal();
        }}
      >
        Delete
      </a>
      <dialog
        ref={dialog}
        aria-labelledby={`delete-${post.rowId}-heading`}
        className="m-auto max-w-sm rounded-2xl border border-line bg-surface p-6 text-ink backdrop:bg-black/50"
      >
        <DeleteConfirmation
          postId={post.id}
          back={back}
          headingId={`delete-${post.rowId}-heading`}
          onCancel={() => dialog.current?.close()}
        />
      </dialog>
    </>
  );
}

/** "Delete this post?" with the two answers: the dialog's content and the confirmation page's. */
export function DeleteConfirmation({
  postId,
  back,
  headingId,
  onCancel,
}: {
  postId: string;
  back: string;
  headingId: string;
  onCancel: (() => void) | string;
}) {
  const button = "rounded-full px-5 py-2 font-semibold";
  return (
    <>
      <h2 id={headingId} className="text-lg font-bold">
        Delete this post?
      </h2>
      <p className="mt-2 text-sm text-muted">It disappears from your profile and from timelines. This can’t be undone.</p>
      <Form method="post" action="/resources/post" className="mt-5 flex flex-wrap justify-end gap-2">
        <input type="hidden" name="postId" value={postId} />
        <input type="hidden" name="redirectTo" value={back} />
        {typeof onCancel === "string" ? (
          <Link to={onCancel} className={`${button} border border-line hover:bg-raised`}>
            Cancel
          </Link>
        ) : (
          <button type="button" onClick={onCancel} className={`${button} border border-line hover:bg-raised`}>
            Cancel
          </button>
        )}
        <button type="submit" name="intent" value="delete" className={`${button} bg-danger text-accent-ink`}>
          Delete
        </button>
      </Form>
    </>
  );
}
