import { Hono } from "hono";
import { createApi } from "./api/app.ts";
import { apiErrorResponse } from "./api/errors.ts";
import { localSetupRoutes } from "./development/local-setup.ts";
import { serveChatMedia } from "./media/chat-media.ts";
import { serveMedia } from "./media/serve.ts";
import { servePage } from "./pages.ts";
import { clientAddress, rateLimit } from "./platform/rate-limit.ts";
import { requestPipeline } from "./platform/request-pipeline.ts";
import type { AppEnv } from "./platform/request-scope.ts";
import { socketRoutes } from "./sockets/routes.ts";

/**
 * The one router in front of the four doors: sockets and the JSON API by path, media from R2, and Remix for every
 * other page. Static files under build/client never reach it: the assets layer serves them first.
 */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestPipeline);
  app.use("/api/*", rateLimit({ binding: (env) => env.API_RATE_LIMIT, key: clientAddress, periodSeconds: 60 }));
  app.route("/", socketRoutes);
  app.route("/", createApi());
  app.route("/", localSetupRoutes);
  app.get("/media/chats/:conversationId/:attachmentId/:variant", serveChatMedia);
  app.get("/media/*", serveMedia);
  app.all("*", servePage);

  app.onError((error, c) => {
    if (c.req.path.startsWith("/api/") || c.req.path.startsWith("/media/")) return apiErrorResponse(c, error);
    c.var.scope?.logger.error("Unhandled error outside Remix", error, { path: c.req.path });
    return c.html("<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>", 500);
  });
  return app;
}
