import { Form, Link, NavLink } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { chatUnreadOf, hideDeletedPost, LIVE_EVENT, onLiveFrame, openLiveSocket } from "#app/live-socket.ts";
import type { Theme } from "#app/theme.server.ts";
import type { Toast } from "#app/toast.server.ts";
import {
  BellIcon,
  ChatIcon,
  BookmarkIcon,
  ClockIcon,
  CodeIcon,
  DraftIcon,
  GearIcon,
  HashIcon,
  HomeIcon,
  InboxIcon,
  ListIcon,
  LogOutIcon,
  MoreIcon,
  PenIcon,
  SearchIcon,
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
  /** Suspended: the pages say so, with the way to appeal (docs/decisions/0049). */
  suspended: boolean;
  /** Unread notifications (newer than the notifications marker), capped at UNREAD_CAP; the nav shows a badge. */
  unread: number;
  /** Unread messages across accepted, unmuted conversations (docs/decisions/0035); the Messages item shows a badge. */
  unreadMessages: number;
}

/** Above this the badge reads "99+". */
const UNREAD_CAP = 99;

export type NavItem = { to: string; label: string; icon: typeof HomeIcon; reloadDocument?: boolean; end?: boolean; badge?: number };

/** Notifications, with the unread badge. */
const notificationsItem = (unread: number): NavItem => ({ to: "/notifications", label: "Notifications", icon: BellIcon, badge: unread });

const home: NavItem = { to: "/", label: "Home", icon: HomeIcon, end: true };
// "Menu", not "More": the label says where it leads (Lighthouse counts a link named "More" as non-descriptive).
const more: NavItem = { to: "/menu", label: "Menu", icon: MoreIcon };
const explore: NavItem = { to: "/explore", label: "Explore", icon: HashIcon };
const compose: NavItem = { to: "/compose", label: "Post", icon: PenIcon };
const search: NavItem = { to: "/search", label: "Search", icon: SearchIcon };
// `end`: the profile is not "current" on the person's own post pages (/name/status/id) or follower lists.
const profile = (viewer: ShellViewer): NavItem => ({ to: `/${viewer.username}`, label: "Profile", icon: PersonIcon, end: true });

/** Every destination, in the order the desktop rail and the phone's menu page list them. */
export function destinationsFor(viewer: ShellViewer | null): NavItem[] {
  if (!viewer) return [home, search, explore];
  return [
    home,
    search,
    explore,
    notificationsItem(viewer.unread),
    { to: "/messages", label: "Messages", icon: ChatIcon, badge: viewer.unreadMessages },
    profile(viewer),
    { to: "/friends", label: "Friends", icon: PeopleIcon },
    { to: "/lists", label: "Lists", icon: ListIcon },
    { to: "/bookmarks", label: "Bookmarks", icon: BookmarkIcon },
    { to: "/follow-requests", label: "Requests", icon: InboxIcon },
    { to: "/drafts", label: "Drafts", icon: DraftIcon },
    { to: "/scheduled", label: "Scheduled", icon: ClockIcon },
    { to: "/analytics", label: "Analytics", icon: ListIcon },
    { to: "/settings", label: "Settings", icon: GearIcon },
    ...(viewer.admin ? [{ to: "/admin", label: "Admin", icon: ShieldIcon }] : []),
  ];
}

/** Reference pages for developers: on the menu page and in the side rail, not among the main destinations. */
export const apiDocs: NavItem = { to: "/api/docs", label: "API", icon: CodeIcon, reloadDocument: true };

/** The desktop rail: the everyday destinations, then Menu (drafts, scheduled posts, the API, the theme). */
function railItems(viewer: ShellViewer | null): NavItem[] {
  const hidden = new Set(["/drafts", "/scheduled"]);
  return [...destinationsFor(viewer).filter((item) => !hidden.has(item.to)), more];
}

/**
 * The phone's bottom bar: at most five, as the large apps do; everything else is one tap away on the menu page. Search
 * took Profile's place (ADR 0027): the profile is behind the avatar in the top bar and on the menu page; Explore is on
 * the menu page and, for visitors, who have room, in the bar.
 */
function phoneItems(viewer: ShellViewer | null): NavItem[] {
  if (!viewer) return [home, search, explore, more];
  return [home, search, compose, notificationsItem(viewer.unread), more];
}

/**
 * The frame of every page: the primary navigation (a left rail on wide screens; on phones a top bar with the logo and
 * the ways in, and a bottom bar of five), the main column, and a side rail that disappears on narrow screens.
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
  const live = useLiveUnread(viewer);
  const liveMessages = useLiveUnreadMessages(viewer);
  const shown = viewer && { ...viewer, unread: live ?? viewer.unread, unreadMessages: liveMessages ?? viewer.unreadMessages };
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-4 py-2 font-semibold text-accent-ink focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex min-h-dvh max-w-7xl justify-center">
        <header className="sticky top-0 z-20 hidden h-dvh w-20 shrink-0 flex-col gap-6 overflow-y-auto px-3 py-4 sm:flex xl:w-72 xl:px-6">
          <Brand title={instanceTitle} />
          <nav aria-label="Primary">
            <ul className="flex flex-col gap-1">
              <NavItems items={railItems(shown)} compact={false} />
            </ul>
          </nav>
          <div className="mt-auto flex flex-col gap-4">
            <div className="hidden xl:block">
              <ThemeSwitch theme={theme} />
            </div>
            <AccountBox viewer={viewer} />
          </div>
        </header>
        <div className="flex w-full max-w-2xl min-w-0 flex-col border-line sm:border-x">
          <PhoneTopBar title={instanceTitle} viewer={viewer} />
          <main id="main" tabIndex={-1} className="flex-1 pb-20 outline-none sm:pb-0">
            {viewer?.suspended && <SuspendedBanner />}
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
      <nav aria-label="Primary, phone layout" className="fixed inset-x-0 bottom-0 z-20 border-t border-line bg-surface sm:hidden">
        <ul className="flex justify-around">
          <NavItems items={phoneItems(shown)} compact />
        </ul>
      </nav>
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

/**
 * On phones: the logo, and the ways in for a visitor or the way to the account menu for a member. A visitor keeps the
 * bar (without the logo, which the rail has) until the rail is wide enough for the ways in (xl): at 640-1279 px the
 * rail is an 80 px column of icons, too narrow for "Log in" and "Sign up".
 */
function PhoneTopBar({ title, viewer }: { title: string; viewer: ShellViewer | null }) {
  return (
    <header
      className={`flex items-center justify-between gap-3 border-b border-line px-3 py-1.5 ${viewer ? "sm:hidden" : "sm:justify-end xl:hidden"}`}
    >
      <div className="sm:hidden">
        <Brand title={title} />
      </div>
      {viewer ? (
        <Link to="/menu" className="flex min-w-0 items-center gap-2 rounded-full p-1 pr-3 hover:bg-raised">
          <img src={viewer.avatar} alt="" width={32} height={32} className="size-8 shrink-0 rounded-full bg-raised" />
          <span className="truncate text-sm text-muted">{`@${viewer.username}`}</span>
          <span className="sr-only">: account menu</span>
        </Link>
      ) : (
        <WaysIn className="flex gap-2" linkClassName="px-4 py-2 text-sm" />
      )}
    </header>
  );
}

/**
 * The links of a navigation list; `compact` is the phone's bottom bar (icon over a short label). The rail shows its
 * labels only when wide; `labelled` always shows them.
 */
export function NavItems({ items, compact, labelled = false }: { items: NavItem[]; compact: boolean; labelled?: boolean }) {
  return items.map(({ to, label, icon: Icon, reloadDocument, end, badge }) => {
    const className = ({ isActive }: { isActive: boolean }) =>
      compact
        ? `flex min-w-14 flex-col items-center gap-0.5 rounded-xl px-2 py-1.5 text-xs hover:bg-raised ${isActive ? "font-bold text-accent" : ""}`
        : `flex items-center gap-4 rounded-full px-3 py-3 text-lg hover:bg-raised ${isActive ? "font-bold" : ""}`;
    const content = (
      <>
        <span className="relative">
          <Icon />
          {badge ? (
            <span
              data-unread-badge
              className="absolute -top-1.5 -right-2 min-w-5 rounded-full bg-accent px-1 text-center text-xs leading-5 font-bold text-accent-ink"
            >
              {badge > UNREAD_CAP ? `${UNREAD_CAP}+` : badge}
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </span>
        <span className={compact || labelled ? "" : "hidden xl:inline"}>{label}</span>
      </>
    );
    return (
      <li key={to}>
        <NavLink to={to} end={end} reloadDocument={reloadDocument} className={className}>
          {content}
        </NavLink>
      </li>
    );
  });
}

/** A visitor's two ways in, Log in first; where they stand sets the layout and size. */
export function WaysIn({ className, linkClassName }: { className: string; linkClassName: string }) {
  return (
    <div className={className}>
      <a href="/login" className={`rounded-full bg-accent text-center font-semibold text-accent-ink ${linkClassName}`}>
        Log in
      </a>
      <a href="/signup" className={`rounded-full border border-line text-center font-semibold ${linkClassName}`}>
        Sign up
      </a>
    </div>
  );
}

/** Who is signed in, with a way out; or the ways in. */
function AccountBox({ viewer }: { viewer: ShellViewer | null }) {
  if (!viewer) return <WaysIn className="hidden gap-2 xl:flex" linkClassName="px-4 py-2" />;
  return (
    <div className="flex flex-col gap-3 xl:flex-row xl:items-center">
      <img src={viewer.avatar} alt="" width={40} height={40} className="size-10 shrink-0 rounded-full bg-raised" />
      <div className="hidden min-w-0 flex-1 xl:block">
        <p className="truncate font-semibold" title={viewer.displayName}>
          {viewer.displayName}
        </p>
        <p className="truncate text-sm text-muted">{`@${viewer.username}`}</p>
      </div>
      <LogOutButton className="rounded-full border border-line px-3 py-1.5 text-sm font-semibold hover:bg-raised">
        <LogOutIcon className="size-5 xl:hidden" />
        <span className="sr-only xl:not-sr-only">Log out</span>
      </LogOutButton>
    </div>
  );
}

/** Logging out is a form (a POST): it works without JavaScript and no other site can trigger it with a link. */
export function LogOutButton({ className, children = "Log out" }: { className: string; children?: ReactNode }) {
  return (
    <Form method="post" action="/logout">
      <button type="submit" className={className}>
        {children}
      </button>
    </Form>
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

function SuspendedBanner() {
  return (
    <p role="status" className="border-b border-line bg-accent-soft px-4 py-3 text-sm">
      Your account is suspended: you can read, export your data and appeal, but not post, like or follow.{" "}
      <a href="/settings/moderation" className="font-semibold text-accent underline">
        See why and appeal
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

/**
 * The page's socket and the unread count it keeps live: the shell's socket (signed in by the session cookie) hears the
 * user stream and re-dispatches every frame as a window event for the rest of the page (app/live-socket.ts); a
 * notification adds to the badge, a deletion hides the post. Without JavaScript, or until something arrives, the
 * server's count stands. Opening /notifications reads them, so there the badge clears.
 */
function useLiveUnread(viewer: ShellViewer | null): number | undefined {
  // Notifications that arrived since the server counted `base`: a new server count (the next page) supersedes them.
  const [live, setLive] = useState<{ base: number; added: number }>();
  const served = useRef(viewer?.unread ?? 0);
  const signedIn = Boolean(viewer);
  useEffect(() => {
    served.current = viewer?.unread ?? 0;
  }, [viewer?.unread]);
  useEffect(() => {
    if (!signedIn) return;
    return openLiveSocket({ stream: "user" }, (frame) => {
      window.dispatchEvent(new CustomEvent(LIVE_EVENT, { detail: frame }));
      if (frame.event === "delete" && frame.payload) hideDeletedPost(frame.payload);
      if (frame.event !== "notification" || window.location.pathname === "/notifications") return;
      const base = served.current;
      setLive((previous) => ({ base, added: previous?.base === base ? previous.added + 1 : 1 }));
    });
  }, [signedIn]);
  return live && viewer && live.base === viewer.unread ? viewer.unread + live.added : undefined;
}

/**
 * The Messages badge, kept live by the chat's "perch.chat_unread" frames on the same socket (they carry the new total,
 * not a step, so the last one wins). A new server count (the next page) supersedes them.
 */
function useLiveUnreadMessages(viewer: ShellViewer | null): number | undefined {
  const [live, setLive] = useState<{ base: number; unread: number }>();
  const served = useRef(viewer?.unreadMessages ?? 0);
  useEffect(() => {
    served.current = viewer?.unreadMessages ?? 0;
  }, [viewer?.unreadMessages]);
  useEffect(
    () =>
      onLiveFrame((frame) => {
        const unread = chatUnreadOf(frame);
        if (unread !== undefined) setLive({ base: served.current, unread });
      }),
    [],
  );
  return live && viewer && live.base === viewer.unreadMessages ? live.unread : undefined;
}
