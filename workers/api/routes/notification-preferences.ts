import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { notificationDeliveries, notificationTypes } from "#db/schema/index.ts";
import {
  preferencesUpdateSchema,
  readPreferences,
  updatePreferences,
  type NotificationPreferences,
  type PreferencesUpdate,
} from "#domain/notifications/preferences.ts";
import type { NotificationType } from "#domain/notifications/notify.ts";
import type { AppEnv } from "#workers/platform/request-scope.ts";
import { needs, userOf } from "../authentication.ts";
import { bodyOf, formOrJson } from "../body.ts";
import { errorResponse } from "../entities/error.ts";
import { validationHook } from "../errors.ts";

const DeliverySchema = z.enum(notificationDeliveries).openapi("PerchNotificationDelivery", {
  description:
    "How you hear of a kind of notification: `in_app` (the default), `email` (in the app and an email at once), " +
    "`digest` (in the app and in one email a day) or `off` (not at all).",
});

const PreferencesSchema = z
  .object(Object.fromEntries(notificationTypes.map((type) => [type, DeliverySchema])) as Record<NotificationType, typeof DeliverySchema>)
  .openapi("PerchNotificationPreferences", { description: "Perch extension: how you hear of each kind of notification." });

const answer = { description: "Your preferences, every kind", content: { "application/json": { schema: PreferencesSchema } } };

const present = (preferences: NotificationPreferences): z.infer<typeof PreferencesSchema> => preferences;

export const notificationPreferenceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: "get",
    path: "/api/v1/perch/notification_preferences",
    operationId: "getNotificationPreferences",
    tags: ["Notifications"],
    summary: "How you hear of each kind of notification",
    description: "Perch extension: for every kind of notification, in the app, by email at once, in a daily digest, or off.",
    ...needs(["read:notifications"]),
    responses: { 200: answer },
  }),
  async (c) => c.json(present(await readPreferences(c.var.scope.domain, userOf(c).id)), 200),
);

for (const method of ["put", "patch"] as const) {
  notificationPreferenceRoutes.openapi(
    createRoute({
      method,
      path: "/api/v1/perch/notification_preferences",
      operationId: method === "put" ? "putNotificationPreferences" : "patchNotificationPreferences",
      tags: ["Notifications"],
      summary: "Choose how you hear of some kinds of notification",
      description:
        "Perch extension: each field is a kind of notification and its delivery (`in_app`, `email`, `digest` or `off`); " +
        "the kinds not sent keep theirs (PUT and PATCH alike). An unknown kind or delivery is a 422 naming it. Emails " +
        "go to your confirmed address and carry a one-click unsubscribe link (RFC 8058).",
      ...needs(["write:notifications"]),
      request: { body: formOrJson(preferencesUpdateSchema) },
      responses: { 200: answer, 422: errorResponse("A kind of notification or a delivery Perch does not have") },
    }),
    async (c) => {
      const preferences = await updatePreferences(c.var.scope.domain, userOf(c).id, bodyOf<PreferencesUpdate>(c) ?? {});
      return c.json(present(preferences), 200);
    },
  );
}
