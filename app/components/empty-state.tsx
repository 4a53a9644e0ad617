import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { HomeIcon } from "./icons.tsx";

/**
 * What a list shows while it has nothing in it: an icon, what is missing, and the next step (a link) so that an empty
 * page is a way forward rather than a dead end.
 */
export function EmptyState({
  icon: Icon,
  title,
  children,
  next,
}: {
  icon: typeof HomeIcon;
  title: string;
  children?: ReactNode;
  next?: { to: string; label: string };
}) {
  return (
    <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
      <span className="mb-1 grid size-14 place-items-center rounded-full bg-accent-soft text-accent">
        <Icon />
      </span>
      <p className="text-lg font-semibold">{title}</p>
      {children && <p className="max-w-sm text-muted">{children}</p>}
      {next && (
        <Link to={next.to} className="mt-2 rounded-full bg-accent px-5 py-2 font-semibold text-accent-ink">
          {next.label}
        </Link>
      )}
    </div>
  );
}
