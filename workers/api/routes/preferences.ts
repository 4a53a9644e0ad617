import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { mediaDisplays, quotePolicies } from "#db/schema/index.ts";
import { postingDefaults } from "#domain/profiles/settings.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { errorResponse } from "../entities/error.ts";
import { mastodonVisibility, MastodonVisibilitySchema, PerchVisibilitySchema } from "../entities/visibility.ts";
import { validationHook } from "../errors.ts";

const PreferencesSchema = z
  .object({
    "posting:default:visibility": MastodonVisibilitySchema,
    "perch:posting:default:visibility": PerchVisibilitySchema.openapi({
      description: "Perch extension: the default visibility itself, `friends` included (ADR 0019).",
    }),
    "posting:default:sensitive": z.boolean(),
    "posting:default:language": z.string().nullable(),
    "posting:default:quote_policy": z.enum(quotePolicies),
    "reading:expand:media": z.enum(mediaDisplays).openapi({
      description:
        "How you asked to see media (/settings/reading): `default` covers those marked sensitive, `show_all` none, `hide_all` all.",
    }),
    "reading:expand:spoilers": z.boolean().openapi({
      description: "Always false: content warnings stay closed until opened, as on Perch's pages (there is no setting for it).",
    }),
  })
  .openapi("Preferences", { description: "Mastodon's preferences, by key, from the user's settings." });

export const preferenceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: "get",
    path: "/api/v1/preferences",
    operationId: "getPreferences",
    tags: ["Accounts"],
    summary: "Your posting and reading preferences",
    description:
      "What a post gets when a client leaves a setting out (your default visibility from the privacy settings; not sensitive, " +
      "no language and quotable by anyone, which Perch does not let you change), and how media and content warnings are shown.",
    ...needs(["read:accounts"]),
    responses: {
      200: { description: "Your preferences", content: { "application/json": { schema: PreferencesSchema } } },
      401: errorResponse("No valid token"),
      403: errorResponse("The token lacks read:accounts"),
      422: errorResponse("An app token, which has no user"),
    },
  }),
  (c) => {
    const defaults = postingDefaults(userOf(c));
    return c.json(
      {
        "posting:default:visibility": mastodonVisibility(defaults.visibility),
        "perch:posting:default:visibility": defaults.visibility,
        "posting:default:sensitive": defaults.sensitive,
        "posting:default:language": defaults.language,
        "posting:default:quote_policy": defaults.quotePolicy,
        "reading:expand:media": userOf(c).mediaDisplay,
        "reading:expand:spoilers": false,
      },
      200,
    );
  },
);
