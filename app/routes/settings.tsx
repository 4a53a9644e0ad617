import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { NavLink, Outlet } from "@remix-run/react";
import { requireViewer } from "#app/auth/viewer.server.ts";

const sections = [
  { to: "/settings/profile", label: "Profile" },
  { to: "/settings/privacy", label: "Privacy" },
  { to: "/settings/reading", label: "Reading" },
  { to: "/settings/notifications", label: "Notifications" },
  { to: "/settings/account", label: "Account" },
  { to: "/settings/security", label: "Security" },
  { to: "/settings/connections", label: "Connections" },
  { to: "/settings/apps", label: "Apps and tokens" },
  { to: "/settings/blocks", label: "Blocked and muted" },
  { to: "/settings/stories", label: "Stories" },
  { to: "/settings/filters", label: "Filters" },
  { to: "/settings/moderation", label: "Moderation" },
];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireViewer(context, request);
  return null;
}

export default function Settings() {
  return (
    <>
      <div className="border-b border-line px-4 pt-3">
        <h1 className="text-xl font-bold">Settings</h1>
        {/* The tabs wrap onto a second line on narrow screens rather than scrolling sideways out of sight. */}
        <nav aria-label="Settings sections" className="mt-2 -mb-px flex flex-wrap gap-x-4">
          {sections.map((section) => (
            <NavLink
              key={section.to}
              to={section.to}
              className={({ isActive }) =>
                `border-b-2 px-1 py-2 whitespace-nowrap ${isActive ? "border-accent font-semibold" : "border-transparent text-muted"}`
              }
            >
              {section.label}
            </NavLink>
          ))}
        </nav>
      </div>
      <Outlet />
    </>
  );
}
