import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { visibilities } from "#db/schema/index.ts";
import { DomainError } from "#domain/errors.ts";
import { pageRequestSchema } from "#domain/pagination.ts";
import { showPost } from "#domain/posts/thread.ts";
import { ownUploads } from "#domain/media/attachments.ts";
import { publicTimeline } from "#domain/timelines.ts";
import { PostCard } from "#app/components/post-card.tsx";
import { presentMedia, presentPostCard } from "#app/presenters/post-card.server.ts";
import { badRequest } from "#app/responses.server.ts";
import { Composer, type ComposerDraft } from "#app/components/composer.tsx";
import { publishFromForm } from "#app/compose.server.ts";
import { domainProblem, type FormProblem } from "#app/forms.server.ts";

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((match) => match.id === "root")?.data as { instance?: { title: string } } | undefined;
  return [{ title: `Latest posts · ${root?.instance?.title ?? "Perch"}` }];
};

/** The public timeline, paged with the same cursors as the API; the links work without JavaScript. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const page = pageRequestSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!page.success) throw badRequest(page.error);
  const views = await publicTimeline(context.scope.domain, context.scope.viewer?.user.id ?? null, page.data);
  const posts = views.map(presentPostCard);
  const paging = page.data.max_id !== undefined || page.data.min_id !== undefined || page.data.since_id !== undefined;
  const link = (cursor: "max_id" | "min_id", id: string) => {
    const params = new URLSearchParams({ [cursor]: id });
    if (url.searchParams.has("limit")) params.set("limit", String(page.data.limit));
    return `/?${params}`;
  };
  const last = posts.at(-1);
  const first = posts[0];
  const { viewer, config } = context.scope;
  return {
    now: Date.now(),
    composer: viewer
      ? { limit: config.POST_MAX_CHARACTERS, defaultVisibility: viewer.user.defaultVisibility, draft: await draftFrom(context, url) }
      : null,
    posts,
    older: last && posts.length === page.data.limit ? link("max_id", last.id) : undefined,
    newer: first && paging ? link("min_id", first.id) : undefined,
    paging,
  };
}

/**
 * The composer's starting point from the address: ?quote=<id> (the Quote button) embeds that post; ?text=... and
 * friends carry a redraft (see resources.post). A post the viewer cannot see, or an upload that is not theirs to
 * post, is simply left out.
 */
async function draftFrom(context: LoaderFunctionArgs["context"], url: URL): Promise<ComposerDraft> {
  const params = url.searchParams;
  const { domain, viewer } = context.scope;
  const viewerId = viewer!.user.id;
  const visibleOrNone = async (id: string | null) => {
    if (!id) return undefined;
    try {
      return await showPost(domain, viewerId, id);
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  };
  const quoted = await visibleOrNone(params.get("quote"));
  const parent = await visibleOrNone(params.get("inReplyTo"));
  const pollOptions = params.getAll("pollOption");
  return {
    text: params.get("text") ?? undefined,
    spoilerText: params.get("spoilerText") ?? undefined,
    visibility: visibilities.find((value) => value === params.get("visibility")),
    sensitive: params.get("sensitive") === "on",
    language: params.get("language") ?? undefined,
    quotePolicy: params.get("quotePolicy") ?? undefined,
    quote: quoted && presentPostCard(quoted),
    inReplyTo: parent && { id: parent.post.id, username: parent.author.username },
    media: (await ownUploads(domain, viewerId, params.getAll("media"))).map(presentMedia),
    poll:
      pollOptions.length > 0
        ? { options: pollOptions, multiple: params.get("pollMultiple") === "on", hideTotals: params.get("pollHideTotals") === "on" }
        : undefined,
  };
}

/** Posting from the home page: the new post (or the first of a thread) opens when published. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const [first] = await publishFromForm(context, request, form);
    return redirect(`/${context.scope.viewer!.user.username}/status/${first!.id}`);
  } catch (error) {
    return domainProblem(form, error);
  }
}

export default function PublicTimeline() {
  const { now, posts, older, newer, paging, composer } = useLoaderData<typeof loader>();
  const problem = useActionData<FormProblem>();
  return (
    <>
      <div className="sticky top-0 z-10 border-b border-line bg-canvas/85 px-4 py-3 backdrop-blur">
        <h1 className="text-xl font-bold">Latest posts</h1>
        <p className="text-sm text-muted">Public posts from everyone here, newest first.</p>
      </div>
      {composer && (
        <Composer limit={composer.limit} defaultVisibility={composer.defaultVisibility} draft={composer.draft} problem={problem} />
      )}
      {newer && (
        <PageLink to={newer} rel="prev">
          Newer posts
        </PageLink>
      )}
      {posts.length > 0 ? (
        <section aria-label="Posts">
          {posts.map((post) => (
            <PostCard key={post.rowId} post={post} now={now} />
          ))}
        </section>
      ) : (
        <EmptyTimeline paging={paging} />
      )}
      {older && (
        <PageLink to={older} rel="next">
          Older posts
        </PageLink>
      )}
    </>
  );
}

function PageLink({ to, rel, children }: { to: string; rel: "next" | "prev"; children: string }) {
  return (
    <nav aria-label={rel === "next" ? "Older posts" : "Newer posts"} className="border-b border-line">
      <Link to={to} rel={rel} prefetch="intent" className="block px-4 py-4 text-center font-semibold text-accent hover:bg-raised">
        {children}
      </Link>
    </nav>
  );
}

function EmptyTimeline({ paging }: { paging: boolean }) {
  return (
    <div className="px-6 py-16 text-center">
      <p className="text-lg font-semibold">{paging ? "You've reached the end" : "Nothing posted yet"}</p>
      <p className="mt-2 text-muted">
        {paging ? (
          <Link to="/" className="text-accent underline underline-offset-2">
            Back to the newest posts
          </Link>
        ) : (
          "When people post publicly, their posts appear here."
        )}
      </p>
    </div>
  );
}
