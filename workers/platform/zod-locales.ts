/**
 * What the Worker bundle gets instead of zod's locales index (wrangler.toml [alias]): English only, the locale zod
 * configures by default and the only one Perch uses. `z.locales.en` keeps working; the other locales are left out.
 */
export { default as en } from "zod/v4/locales/en.js";
