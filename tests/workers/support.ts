import { env, exports } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { createDatabase } from "#db/client.ts";
import { outbox } from "#db/schema/index.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import type { DomainContext } from "#domain/context.ts";
import { parseConfig } from "#workers/platform/env.ts";

export const ORIGIN = "http://perch.test";

/** A domain context over this test file's real local bindings. */
export function testDomain(): DomainContext {
  return { db: createDatabase(env.DB), env, config: parseConfig(env) };
}

/** A request through the whole Worker (router, doors, middleware), as a browser or API client would send it. */
export function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(new URL(path, ORIGIN), { redirect: "manual", ...init });
  // Browsers always send Host; Remix compares it with Origin on form posts.
  if (!request.headers.has("Host")) request.headers.set("Host", new URL(ORIGIN).host);
  return exports.default.fetch(request);
}

/**
 * A form post from one of our own pages (as a browser sends it: with Origin), optionally signed in. A FormData body
 * goes as multipart (forms with files); fields as URL-encoded.
 */
export function postForm(
  path: string,
  fields: Record<string, string | string[]> | FormData,
  options: { cookie?: string; ip?: string; origin?: string | null } = {},
): Promise<Response> {
  const body =
    fields instanceof FormData
      ? fields
      : new URLSearchParams(Object.entries(fields).flatMap(([key, value]) => [value].flat().map((item) => [key, item])));
  const headers: Record<string, string> = { "cf-connecting-ip": options.ip ?? "192.0.2.1" };
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  if (options.cookie) headers.Cookie = options.cookie;
  return fetchWorker(path, { method: "POST", body, headers });
}

/** A page as a signed-in (or anonymous) browser sees it. */
export async function getPage(path: string, cookie?: string) {
  const response = await fetchWorker(path, { headers: cookie ? { Cookie: cookie } : {} });
  return { response, html: await response.text() };
}

/** The name=value pair of a cookie the response sets, ready for a Cookie header. */
export function cookieFrom(response: Response, name: string): string {
  const set = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  expect(set, `the response sets ${name}`).toBeTruthy();
  return set!.split(";")[0]!;
}

export const sessionOf = (response: Response) => cookieFrom(response, "perch_session");

/** The newest email to an address, from the outbox (which is the development mailbox). */
export async function latestEmailTo(address: string) {
  const [email] = await testDomain().db.select().from(outbox).where(eq(outbox.to, address)).orderBy(desc(outbox.id)).limit(1);
  return email;
}

/** The first link in an email whose path starts with the given one, relative to our origin. */
export async function linkInLatestEmail(address: string, path: string): Promise<string> {
  const email = await latestEmailTo(address);
  const link = email?.text?.match(new RegExp(`${ORIGIN}${path}\\S*`))?.[0];
  expect(link, `an email to ${address} with a ${path} link`).toBeTruthy();
  return link!.slice(ORIGIN.length);
}

/** A bearer token for a user, as a personal access token made in settings would be. */
export async function tokenFor(userId: string, scopes = ["read", "write", "follow"]): Promise<string> {
  return createPersonalAccessToken(testDomain(), userId, "test token", scopes);
}

let apiCalls = 0;

/** An API request with a bearer token, from its own address (per-address limits are tested on their own). */
export async function callApi(path: string, token: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  apiCalls += 1;
  headers.set("cf-connecting-ip", `198.19.${Math.floor(apiCalls / 250)}.${apiCalls % 250}`);
  const response = await fetchWorker(path, { ...init, headers });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the API answered
  return { response, body: (text ? JSON.parse(text) : null) as any };
}
