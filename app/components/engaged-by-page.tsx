import { Link, useLoaderData } from "@remix-run/react";
import type { EngagedByData } from "#app/posts.server.ts";
import { AccountRow } from "./account-row.tsx";
import { PageHeader } from "./forms.tsx";
import { EmptyState } from "./empty-state.tsx";
import { HeartIcon, RepostIcon } from "./icons.tsx";
import { PageLink } from "./page-link.tsx";

/** The people who liked or reposted a post, newest first. */
export function EngagedByPage() {
  const { kind, path, accounts, older } = useLoaderData<EngagedByData>();
  return (
    <>
      <PageHeader
        title={kind === "favourites" ? "Liked by" : "Reposted by"}
        description={
          <Link to={path} className="text-accent underline">
            Back to the post
          </Link>
        }
      />
      {accounts.length === 0 ? (
        <EmptyState
          icon={kind === "favourites" ? HeartIcon : RepostIcon}
          title={kind === "favourites" ? "No likes yet" : "No reposts yet"}
        />
      ) : (
        <ul className="divide-y divide-line">
          {accounts.map((account) => (
            <AccountRow key={account.id} account={account} />
          ))}
        </ul>
      )}
      <PageLink to={older} rel="next">
        More people
      </PageLink>
    </>
  );
}
