import type { MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { UnsentPosts } from "#app/components/unsent-posts.tsx";
import type { FormProblem } from "#app/forms.server.ts";
import { unsentAction, unsentLoader } from "#app/unsent.server.ts";

export const meta: MetaFunction = () => [{ title: "Scheduled posts · Perch" }];

/** Your scheduled posts, newest first: each can be edited, moved to another time, published now or cancelled. */
export const loader = unsentLoader("scheduled");

export const action = unsentAction("scheduled");

export default function Scheduled() {
  const data = useLoaderData<typeof loader>();
  return <UnsentPosts {...data} problem={useActionData<FormProblem | null>()} />;
}
