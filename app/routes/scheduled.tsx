import { useActionData, useLoaderData } from "@remix-run/react";
import { UnsentPosts } from "#app/components/unsent-posts.tsx";
import type { FormProblem } from "#app/forms.server.ts";
import { unsentAction, unsentLoader } from "#app/unsent.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Scheduled posts");

/** Your scheduled posts, newest first: each can be edited, moved to another time, published now or cancelled. */
export const loader = unsentLoader("scheduled");

export const action = unsentAction("scheduled");

export default function Scheduled() {
  const data = useLoaderData<typeof loader>();
  return <UnsentPosts {...data} problem={useActionData<FormProblem | null>()} />;
}
