import { Link } from "@remix-run/react";

export interface TabLink {
  to: string;
  label: string;
  current: boolean;
}

/** Tabs that are plain links (each tab is its own address, so they work without JavaScript and can be shared). */
export function TabLinks({ label, tabs }: { label: string; tabs: TabLink[] }) {
  return (
    <nav aria-label={label} className="flex overflow-x-auto border-b border-line">
      {tabs.map((tab) => (
        <Link
          key={tab.to}
          to={tab.to}
          aria-current={tab.current ? "page" : undefined}
          preventScrollReset
          className={`flex min-h-11 flex-1 items-center justify-center border-b-2 px-3 font-semibold whitespace-nowrap ${
            tab.current ? "border-accent text-ink" : "border-transparent text-muted hover:text-ink"
          }`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
