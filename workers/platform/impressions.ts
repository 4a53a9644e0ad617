import type { ShownPost } from "#domain/posts/hydrate.ts";
import { noteViews } from "#domain/analytics/views.ts";
import type { RequestScope } from "./request-scope.ts";

/**
 * Counts what a page or an API timeline showed for its authors' analytics (docs/decisions/0053): the posts (a repost's
 * original) and the profile. The work happens on the queue after the response; here it is one hash.
 */
export function noteShown(scope: RequestScope, shown: ShownPost[], profileId: string | null = null): Promise<void> {
  return noteViews(
    scope.domain,
    { viewerId: scope.viewer?.user.id ?? null, ip: scope.client.ip, userAgent: scope.client.userAgent },
    { posts: shown.map((item) => (item.reblog ?? item).post), profileId },
  );
}
