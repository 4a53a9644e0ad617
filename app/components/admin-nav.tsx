import { Link } from "@remix-run/react";

const sections = [
  { to: "/admin", label: "Overview" },
  { to: "/admin/accounts", label: "Accounts" },
  { to: "/admin/trends", label: "Trends", adminOnly: true },
] as const;

/** The admin area's sections (those for admins only when the viewer is one); the current one is marked. */
export function AdminNav({ current, admin }: { current: (typeof sections)[number]["to"]; admin: boolean }) {
  return (
    <nav aria-label="Admin" className="border-b border-line px-4 py-2">
      <ul className="flex flex-wrap gap-2">
        {sections
          .filter((section) => admin || !("adminOnly" in section))
          .map((section) => (
            <li key={section.to}>
              <Link
                to={section.to}
                aria-current={section.to === current ? "page" : undefined}
                className={`inline-block rounded-full px-4 py-2 font-semibold ${section.to === current ? "bg-accent-soft" : "text-accent underline"}`}
              >
                {section.label}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}
