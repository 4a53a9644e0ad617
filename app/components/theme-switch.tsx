import { useFetcher, useFetchers, useLocation } from "@remix-run/react";
import type { Theme } from "#app/theme.server.ts";

const labels: Record<Theme, string> = { system: "Auto", light: "Light", dark: "Dark" };
const THEME_FETCHER = "theme";

/** The theme being saved right now, so the whole page (not just the switch) changes before the server answers. */
export function useOptimisticTheme(): Theme | undefined {
  const pending = useFetchers()
    .find((fetcher) => fetcher.key === THEME_FETCHER)
    ?.formData?.get("theme");
  return typeof pending === "string" && pending in labels ? (pending as Theme) : undefined;
}

/**
 * A real form: without JavaScript it posts and the action redirects back; with it, the fetcher submits in place and
 * the page re-renders with the optimistic choice.
 */
export function ThemeSwitch({ theme }: { theme: Theme }) {
  const fetcher = useFetcher({ key: THEME_FETCHER });
  const location = useLocation();
  const current = useOptimisticTheme() ?? theme;
  return (
    <fetcher.Form method="post" action="/resources/theme" className="w-full">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <fieldset className="flex rounded-full border border-line p-1 text-sm">
        <legend className="sr-only">Colour theme</legend>
        {(Object.keys(labels) as Theme[]).map((option) => (
          <button
            key={option}
            type="submit"
            name="theme"
            value={option}
            aria-pressed={current === option}
            className="flex-1 rounded-full px-2 py-1 text-muted aria-pressed:bg-accent aria-pressed:font-semibold aria-pressed:text-accent-ink"
          >
            {labels[option]}
          </button>
        ))}
      </fieldset>
    </fetcher.Form>
  );
}
