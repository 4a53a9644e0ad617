import { Link } from "@remix-run/react";

/** A link to the older or newer page of a listing (see pageLinks), a plain link that works without JavaScript. */
export function PageLink({ to, rel, children }: { to: string | undefined; rel: "next" | "prev"; children: string }) {
  if (!to) return null;
  return (
    <nav aria-label={children} className="border-b border-line">
      <Link to={to} rel={rel} prefetch="intent" className="block px-4 py-4 text-center font-semibold text-accent hover:bg-raised">
        {children}
      </Link>
    </nav>
  );
}
