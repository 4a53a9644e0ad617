import { createRequestHandler, data, type ServerBuild } from "@remix-run/cloudflare";
import type { Context } from "hono";
import { ZodError } from "zod";
import * as build from "#build/server/index.js";
import { userForSession } from "#domain/accounts/sessions.ts";
import { describeZodError, DomainError, statusOfDomainError } from "#domain/errors.ts";
import { signIn, type AppEnv } from "#workers/platform/request-scope.ts";
import { isCrossSiteMutation } from "#workers/platform/same-origin.ts";
import { readCookie, SESSION_COOKIE } from "#workers/platform/session-cookie.ts";

type RouteHandler = (args: never) => unknown;

/** A 4xx thrown as Remix's data(message, { status }). */
function isRefusal(error: unknown): error is { data: unknown; init: ResponseInit } {
  if (typeof error !== "object" || error === null || (error as { type?: unknown }).type !== "DataWithResponseInit") return false;
  const status = (error as { init?: ResponseInit | null }).init?.status ?? 200;
  return status >= 400 && status < 500;
}

/**
 * The pages door's one mapping from domain errors to responses, as the API's apiErrorResponse is the API's: what the
 * domain refused on purpose keeps its status (a 404 says no more than "not found"; other refusals explain themselves),
 * input its schemas refused is a 422, and anything else goes on to Remix's error handling as a 500. Pages shown to
 * people get the route's error boundary; resource routes (fetched by scripts) get Mastodon-style JSON.
 */
function pageErrorResponse(error: unknown, resource: boolean): unknown {
  let status: number;
  let message: string;
  if (resource && isRefusal(error)) {
    // A refusal thrown as data() (readForm's 415 and 400) answers a script as JSON too, rather than being logged.
    return Response.json({ error: String(error.data) }, { status: error.init!.status });
  }
  if (error instanceof DomainError) {
    status = statusOfDomainError[error.kind];
    message = error.kind === "not_found" ? "" : error.message;
  } else if (error instanceof ZodError) {
    status = 422;
    message = describeZodError(error);
  } else {
    return error;
  }
  return resource ? Response.json({ error: message || "Not found" }, { status }) : data(message, { status });
}

/**
 * Every loader and action of the build, wrapped so that a DomainError escaping it becomes the right response
 * (pageErrorResponse). Routes that show a refusal beside the form catch it themselves first (formAction).
 */
function withErrorMapping(serverBuild: ServerBuild): ServerBuild {
  const mapped = <T extends RouteHandler | undefined>(handler: T, resource: boolean): T =>
    (handler &&
      (async (args: never) => {
        try {
          return await handler(args);
        } catch (error) {
          throw pageErrorResponse(error, resource);
        }
      })) as T;
  const routes = Object.fromEntries(
    Object.entries(serverBuild.routes).map(([id, route]) => {
      const resource = !route.module.default;
      const module = { ...route.module, loader: mapped(route.module.loader, resource), action: mapped(route.module.action, resource) };
      return [id, { ...route, module }];
    }),
  );
  return { ...serverBuild, routes };
}

/**
 * Unsubscribe links in emails: a mail provider POSTs them from its own servers (RFC 8058), with no Origin and no
 * cookie. The signed token in the path is what authorizes the change, so a forged request gains nothing.
 */
const ONE_CLICK_UNSUBSCRIBE = /^\/unsubscribe\/[^/]+$/;

/** The request without its Origin, which Remix would otherwise refuse (with a 500) when it names another site. */
function withoutOrigin(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete("Origin");
  return new Request(request, { headers });
}

const handleRemixRequest = createRequestHandler(withErrorMapping(build as unknown as ServerBuild));

/**
 * The pages door: Remix renders everything the other doors did not claim. Before it runs, cross-site mutations are
 * refused and the session cookie is resolved into the viewer, so every loader and action sees who is signed in
 * through `context.scope`; what it answers a signed-in viewer is never cached.
 */
export async function servePage(c: Context<AppEnv>): Promise<Response> {
  const { scope } = c.var;
  // Data requests of Remix before single fetch: nothing of ours makes them, and Remix logs each as an error.
  if (new URL(c.req.url).searchParams.has("_data")) {
    return c.text("Pages' data is read through .data URLs (Remix single fetch); ?_data requests are not served.", 400);
  }
  const unsubscribing = ONE_CLICK_UNSUBSCRIBE.test(c.req.path);
  if (!unsubscribing && isCrossSiteMutation(c.req.raw, [scope.origin, new URL(c.req.url).origin])) {
    scope.logger.warn("Refused a cross-site form submission", { path: c.req.path, origin: c.req.header("Origin") ?? null });
    return c.text("This form was submitted from another site, so it was refused. Go back, reload the page and try again.", 403);
  }
  const token = readCookie(c.req.raw, SESSION_COOKIE);
  const signedIn = token ? await userForSession(scope.domain, token) : undefined;
  if (signedIn) await signIn(scope, { user: signedIn.user, sessionId: signedIn.session.id });
  const response = await handleRemixRequest(unsubscribing ? withoutOrigin(c.req.raw) : c.req.raw, {
    cloudflare: { env: c.env, ctx: c.executionCtx as ExecutionContext, cf: c.req.raw.cf },
    scope,
  });
  // What a signed-in person sees (their email, their timeline) and any answer that sets a cookie is for them alone:
  // no shared cache may keep it, nor the browser's after they sign out.
  if (signedIn || response.headers.has("Set-Cookie")) response.headers.set("Cache-Control", "private, no-store");
  return response;
}
