import { Link, useLoaderData } from "@remix-run/react";
import type { CollectionData } from "#app/collections.server.ts";
import { AccountRow } from "./account-row.tsx";
import { PageHeader } from "./forms.tsx";
import { PageLink } from "./page-link.tsx";
import { EmptyState } from "./empty-state.tsx";
import { PeopleIcon } from "./icons.tsx";

export function Collection({ which }: { which: "followers" | "following" }) {
  const { username, visible, accounts, older } = useLoaderData<CollectionData>();
  const title = which === "followers" ? `People following @${username}` : `People @${username} follows`;
  return (
    <>
      <PageHeader
        title={title}
        description={
          <Link to={`/${username}`} className="text-accent underline">
            Back to the profile
          </Link>
        }
      />
      {!visible ? (
        <p className="px-4 py-8 text-center text-muted">{`@${username} keeps this list private.`}</p>
      ) : accounts.length === 0 ? (
        <EmptyState icon={PeopleIcon} title="No one yet" next={{ to: `/${username}`, label: "Back to the profile" }} />
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
