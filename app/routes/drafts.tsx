import { useActionData, useLoaderData } from "@remix-run/react";
import { UnsentPosts } from "#app/components/unsent-posts.tsx";
import type { FormProblem } from "#app/forms.server.ts";
import { unsentAction, unsentLoader } from "#app/unsent.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Drafts");

/** Your drafts, newest first: each can be opened in the composer, published, scheduled or deleted. */
export const loader = unsentLoader("draft");

export const action = unsentAction("draft");

export default function Drafts() {
  const data = useLoaderData<typeof loader>();
  return <UnsentPosts {...data} problem={useActionData<FormProblem | null>()} />;
}
