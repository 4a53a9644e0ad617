import { createCookie } from "@remix-run/cloudflare";
import { z } from "zod";

export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

/** The theme is a plain preference, not a secret: a long-lived cookie anyone (even signed out) can set. */
const themeCookie = createCookie("theme", { path: "/", sameSite: "lax", httpOnly: true, secure: true, maxAge: 60 * 60 * 24 * 365 });

const themeSchema = z.enum(themes).catch("system");

export async function themeOf(request: Request): Promise<Theme> {
  return themeSchema.parse(await themeCookie.parse(request.headers.get("Cookie")));
}

export function setThemeCookie(theme: Theme): Promise<string> {
  return themeCookie.serialize(theme);
}

export function parseTheme(value: FormDataEntryValue | null): Theme | undefined {
  const parsed = z.enum(themes).safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
