import { NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Theme } from "#app/theme.server.ts";
import { CodeIcon, HomeIcon, PerchLogo } from "./icons.tsx";
import { ThemeSwitch } from "./theme-switch.tsx";

const navigation = [
  { to: "/", label: "Latest", icon: HomeIcon, reloadDocument: false },
  { to: "/api/docs", label: "API", icon: CodeIcon, reloadDocument: true },
];

/**
 * The frame of every page: a banner with the primary navigation (a left rail on wide screens, a bottom bar on
 * phones), the main column, and a side rail that disappears on narrow screens.
 */
export function AppShell({
  theme,
  instanceTitle,
  aside,
  children,
}: {
  theme: Theme;
  instanceTitle: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-4 py-2 font-semibold text-accent-ink focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex min-h-dvh max-w-7xl justify-center">
        <header className="sticky top-0 z-20 hidden h-dvh w-20 shrink-0 flex-col gap-6 px-3 py-4 sm:flex xl:w-64 xl:px-6">
          <Brand title={instanceTitle} />
          <PrimaryNav />
          <div className="mt-auto hidden xl:block">
            <ThemeSwitch theme={theme} />
          </div>
        </header>
        <div className="flex w-full min-w-0 max-w-2xl flex-col border-line sm:border-x">
          <div className="flex items-center justify-between gap-4 border-b border-line px-4 py-2 sm:hidden">
            <Brand title={instanceTitle} />
            <div className="w-48">
              <ThemeSwitch theme={theme} />
            </div>
          </div>
          <main id="main" tabIndex={-1} className="flex-1 pb-20 outline-none sm:pb-0">
            {children}
          </main>
        </div>
        <aside aria-label="About this server" className="hidden w-80 shrink-0 flex-col gap-4 px-6 py-4 lg:flex">
          {aside}
          <div className="xl:hidden">
            <ThemeSwitch theme={theme} />
          </div>
        </aside>
      </div>
      <MobileNav />
    </>
  );
}

function Brand({ title }: { title: string }) {
  return (
    <a href="/" className="flex items-center gap-3 self-start rounded-full p-2 text-accent">
      <PerchLogo className="size-8" />
      <span className="hidden text-xl font-bold text-ink xl:inline">{title}</span>
      <span className="sr-only xl:hidden">{title}, home</span>
    </a>
  );
}

function NavItems({ compact }: { compact: boolean }) {
  return navigation.map(({ to, label, icon: Icon, reloadDocument }) => (
    <li key={to}>
      <NavLink
        to={to}
        end
        reloadDocument={reloadDocument}
        className={({ isActive }) =>
          `flex items-center gap-4 rounded-full px-3 py-3 text-lg hover:bg-raised ${isActive ? "font-bold" : ""} ${
            compact ? "flex-col gap-1 px-2 py-2 text-xs" : ""
          }`
        }
      >
        <Icon />
        <span className={compact ? "" : "hidden xl:inline"}>{label}</span>
      </NavLink>
    </li>
  ));
}

function PrimaryNav() {
  return (
    <nav aria-label="Primary">
      <ul className="flex flex-col gap-1">
        <NavItems compact={false} />
      </ul>
    </nav>
  );
}

/** On phones the same destinations sit in a bottom bar within thumb's reach. */
function MobileNav() {
  return (
    <nav aria-label="Primary, phone layout" className="fixed inset-x-0 bottom-0 z-20 border-t border-line bg-surface sm:hidden">
      <ul className="flex justify-around">
        <NavItems compact />
      </ul>
    </nav>
  );
}
