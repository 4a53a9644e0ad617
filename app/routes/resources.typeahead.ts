import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { visibleProfile } from "#domain/profiles/access.ts";
import { searchAccounts } from "#domain/search/accounts.ts";
import { searchHashtags } from "#domain/search/hashtags.ts";
import { requireViewer } from "#app/auth/viewer.server.ts";
import { sizedAvatar } from "#app/presenters/profile.server.ts";

/** How many suggestions the composer's list shows. */
const SUGGESTIONS = 6;

export interface Suggestion {
  /** What goes into the post: @username or #tag. */
  value: string;
  label: string;
  detail: string;
  avatar: string | null;
}

/** Suggestions for the composer's typeahead: `?q=@al` for accounts, `?q=#bir` for hashtags (JSON, signed in only). */
export async function loader({ request, context }: LoaderFunctionArgs): Promise<{ suggestions: Suggestion[] }> {
  const { user } = requireViewer(context, request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 60);
  const { domain, origin } = context.scope;
  if (q.startsWith("@") && q.length > 1) {
    const page = await searchAccounts(domain, user.id, new URL(origin).host, { query: q, limit: SUGGESTIONS, offset: 0 });
    return {
      suggestions: page.items.map((view) => {
        const account = visibleProfile(view);
        return {
          value: `@${account.username}`,
          label: account.displayName || account.username,
          detail: `@${account.username}`,
          avatar: sizedAvatar(account, "96"),
        };
      }),
    };
  }
  if (q.startsWith("#") && q.length > 1) {
    const page = await searchHashtags(domain, user.id, { query: q, limit: SUGGESTIONS, offset: 0 });
    return {
      suggestions: page.items.map((tag) => ({
        value: `#${tag.name}`,
        label: `#${tag.name}`,
        detail: tag.uses === 1 ? "1 post" : `${tag.uses} posts`,
        avatar: null,
      })),
    };
  }
  return { suggestions: [] };
}
