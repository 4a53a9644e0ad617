import { Form, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Theme } from "#app/theme.server.ts";
import type { Toast } from "#app/toast.server.ts";
import {
  BookmarkIcon,
  CodeIcon,
  GearIcon,
  HomeIcon,
  InboxIcon,
  ListIcon,
  PeopleIcon,
  PerchLogo,
  PersonIcon,
  ShieldIcon,
} from "./icons.tsx";
import { ThemeSwitch } from "./theme-switch.tsx";

/** The signed-in person, as the shell shows them. */
export interface ShellViewer {
  username: string;
  displayName: string;
  avatar: string;
  verified: boolean;
  admin: boolean;
}

type NavItem = { to: string; label: string; icon: typeof HomeIcon; reloadDocument: boolean };

function navigationFor(viewer: ShellViewer | null): NavItem[] {
  const items: NavItem[] = [{ to: "/", label: "Latest", icon: HomeIcon, reloadDocument: false }];
  if (viewer) {
    items.push(
      { to: `/${viewer.username}`, label: "Profile", icon: PersonIcon, reloadDocument: false },
      { to: "/friends", label: "Friends", icon: PeopleIcon, reloadDocument: false },
      { to: "/lists", label: "Lists", icon: ListIcon, reloadDocument: false },
      { to: "/bookmarks", label: "Bookmarks", icon: BookmarkIcon, reloadDocument: false },
      { to: "/follow-requests", label: "Requests", icon: InboxIcon, reloadDocument: false },
      { to: "/settings", label: "Settings", icon: GearIcon, reloadDocument: false },
    );
  }
  if (viewer?.admin) items.push({ to: "/admin", label: "Admin", icon: ShieldIcon, reloadDocument: false });
  items.push({ to: "/api/docs", label: "API", icon: CodeIcon, reloadDocument: true });
  return items;
}

/**
 * The frame of every page: a banner with the primary navigation (a left rail on wide screens, a bottom bar on
 * phones), the main column, and a side rail that disappears on narrow screens.
 */
export function AppShell({
  theme,
  instanceTitle,
  viewer,
  toast,
  aside,
  children,
}: {
  theme: Theme;
  instanceTitle: string;
  viewer: ShellViewer | null;
  toast: Toast | null;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const items = navigationFor(viewer);
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
          <PrimaryNav items={items} />
          <div className="mt-auto flex flex-col gap-4">
            <div className="hidden xl:block">
              <ThemeSwitch theme={theme} />
            </div>
            <AccountBox viewer={viewer} />
          </div>
        </header>
        <div className="flex w-full max-w-2xl min-w-0 flex-col border-line sm:border-x">
          <div className="flex items-center justify-between gap-4 border-b border-line px-4 py-2 sm:hidden">
            <Brand title={instanceTitle} />
            <div className="w-48">
              <ThemeSwitch theme={theme} />
            </div>
          </div>
          <main id="main" tabIndex={-1} className="flex-1 pb-20 outline-none sm:pb-0">
            {viewer && !viewer.verified && <VerifyBanner />}
            {toast && <ToastBanner toast={toast} />}
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
      <MobileNav items={items} />
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

function NavItems({ items, compact }: { items: NavItem[]; compact: boolean }) {
  return items.map(({ to, label, icon: Icon, reloadDocument }) => (
    <li key={to}>
      <NavLink
        to={to}
        end={to === "/"}
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

function PrimaryNav({ items }: { items: NavItem[] }) {
  return (
    <nav aria-label="Primary">
      <ul className="flex flex-col gap-1">
        <NavItems items={items} compact={false} />
      </ul>
    </nav>
  );
}

/** On phones the same destinations sit in a bottom bar within thumb's reach. */
function MobileNav({ items }: { items: NavItem[] }) {
  return (
    <nav aria-label="Primary, phone layout" className="fixed inset-x-0 bottom-0 z-20 border-t border-line bg-surface sm:hidden">
      <ul className="flex justify-around">
        <NavItems items={items} compact />
      </ul>
    </nav>
  );
}

/** Who is signed in, with a way out; or the ways in. */
function AccountBox({ viewer }: { viewer: ShellViewer | null }) {
  if (!viewer) {
    return (
      <div className="flex flex-col gap-2 xl:flex-row">
        <a href="/login" className="rounded-full bg-accent px-4 py-2 text-center font-semibold text-accent-ink">
          Log in
        </a>
        <a href="/signup" className="rounded-full border border-line px-4 py-2 text-center font-semibold">
          Sign up
        </a>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-3">
      <img src={viewer.avatar} alt="" width={40} height={40} className="size-10 rounded-full bg-raised" />
      <div className="hidden min-w-0 flex-1 xl:block">
        <p className="truncate font-semibold">{viewer.displayName}</p>
        <p className="truncate text-sm text-muted">{`@${viewer.username}`}</p>
      </div>
      <Form method="post" action="/logout">
        <button type="submit" className="rounded-full border border-line px-3 py-1.5 text-sm font-semibold">
          Log out
        </button>
      </Form>
    </div>
  );
}

function VerifyBanner() {
  return (
    <p role="status" className="border-b border-line bg-accent-soft px-4 py-3 text-sm">
      Confirm your email address to start posting.{" "}
      <a href="/settings/account" className="font-semibold text-accent underline">
        Resend the link
      </a>
    </p>
  );
}

/** A one-time message from the last action (see toast.server.ts): an alert when something was refused. */
function ToastBanner({ toast }: { toast: Toast }) {
  return (
    <p
      role={toast.kind === "error" ? "alert" : "status"}
      className={`border-b border-line px-4 py-3 text-sm font-medium ${toast.kind === "error" ? "text-danger" : ""}`}
    >
      {toast.message}
    </p>
  );
}
