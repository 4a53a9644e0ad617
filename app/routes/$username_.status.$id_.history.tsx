import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { postHistory } from "#domain/posts/edit.ts";
import { parseRichText } from "#domain/rich-text.ts";
import { PageHeader } from "#app/components/forms.tsx";
import { RichText } from "#app/components/rich-text.tsx";
import { loadPostPage } from "#app/posts.server.ts";
import { presentMedia } from "#app/presenters/post-card.server.ts";
import { titled } from "#app/meta.ts";

export const meta = titled("Edit history");

/** Every version of a post the viewer may see, newest first, as Mastodon clients show an edited post's history. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewerId = context.scope.viewer?.user.id ?? null;
  const { view, versions } = await loadPostPage(
    { params, request },
    (id) => postHistory(context.scope.domain, viewerId, id),
    (found) => found.view.author.username,
  );
  return {
    path: `/${view.author.username}/status/${view.post.id}`,
    language: view.post.language,
    versions: versions
      .map((version, index) => ({
        label: index === 0 ? "Original" : index === versions.length - 1 ? "Current version" : `Edit ${index}`,
        createdAt: version.createdAt.toISOString(),
        spoilerText: version.spoilerText,
        content: parseRichText(version.text),
        media: version.media.map(presentMedia),
        pollOptions: version.pollOptions,
      }))
      .reverse(),
  };
}

export default function PostHistory() {
  const { path, language, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Edit history"
        description={
          <Link to={path} className="text-accent underline">
            Back to the post
          </Link>
        }
      />
      <ol className="divide-y divide-line">
        {versions.map((version) => (
          <li key={version.createdAt} className="px-4 py-3">
            <p className="text-sm text-muted">
              <span className="font-semibold text-ink">{version.label}</span>
              {" · "}
              <time dateTime={version.createdAt}>
                {new Date(version.createdAt).toLocaleString("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC
              </time>
            </p>
            {version.spoilerText && <p className="mt-1 font-medium">{`Content warning: ${version.spoilerText}`}</p>}
            <div className="mt-1">
              <RichText content={version.content} lang={language} />
            </div>
            {version.media.length > 0 && (
              <ul className="mt-2 flex flex-wrap gap-2" aria-label="Attachments">
                {version.media.map((media) => (
                  <li key={media.id}>
                    <img src={media.previewUrl ?? media.url} alt={media.description} className="h-20 w-20 rounded object-cover" />
                  </li>
                ))}
              </ul>
            )}
            {version.pollOptions && (
              <div className="mt-2 text-sm">
                <p className="font-medium">Poll</p>
                <ul className="list-inside list-disc">
                  {version.pollOptions.map((option) => (
                    <li key={option}>{option}</li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
