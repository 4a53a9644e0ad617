import type { MetaFunction } from "@remix-run/cloudflare";
import { useRouteLoaderData } from "@remix-run/react";
import { apiDocs, destinationsFor, LogOutButton, NavItems, type ShellViewer, WaysIn } from "#app/components/app-shell.tsx";
import { PageHeader } from "#app/components/forms.tsx";
import { ThemeSwitch } from "#app/components/theme-switch.tsx";
import { instanceOf, pageMeta } from "#app/meta.ts";
import type { Theme } from "#app/theme.server.ts";

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, "Menu", `Everywhere you can go on ${instanceOf(matches).title}, your account and the colour theme.`);

/**
 * Everything the phone's bottom bar has no room for: every destination, the colour theme, the API reference and the
 * way in or out. A page rather than a pop-up, so it works without JavaScript; the root loader has all it needs.
 */
export default function Menu() {
  const root = useRouteLoaderData<{ viewer: ShellViewer | null; theme: Theme }>("root");
  const viewer = root?.viewer ?? null;
  return (
    <>
      <PageHeader title="Menu" />
      {viewer ? (
        <div className="flex items-center gap-3 border-b border-line px-4 py-3">
          <img src={viewer.avatar} alt="" width={48} height={48} className="size-12 shrink-0 rounded-full bg-raised" />
          <div className="min-w-0 flex-1">
            <p className="font-semibold break-words">{viewer.displayName}</p>
            <p className="text-sm break-all text-muted">{`@${viewer.username}`}</p>
          </div>
          <LogOutButton className="rounded-full border border-line px-4 py-2 text-sm font-semibold hover:bg-raised" />
        </div>
      ) : (
        <WaysIn className="flex flex-wrap gap-2 border-b border-line px-4 py-3" linkClassName="px-5 py-2" />
      )}
      <nav aria-label="Everywhere" className="border-b border-line px-2 py-2">
        <ul className="grid grid-cols-1 gap-1 min-[360px]:grid-cols-2">
          <NavItems items={[...destinationsFor(viewer), apiDocs]} compact={false} labelled />
        </ul>
      </nav>
      <section aria-labelledby="theme-heading" className="px-4 py-4">
        <h2 id="theme-heading" className="mb-2 font-semibold">
          Colour theme
        </h2>
        <ThemeSwitch theme={root?.theme ?? "system"} />
      </section>
    </>
  );
}
