import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { expect, vi } from "vitest";
import { createDatabase } from "#db/client.ts";
import { outbox } from "#db/schema/index.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import type { User } from "#domain/accounts/users.ts";
import type { Actor, DomainContext } from "#domain/context.ts";
import type { DomainEvent } from "#domain/events/catalogue.ts";
import { EVENT_QUEUES, queuesFor } from "#workers/background/event-handlers.ts";
import { processBatch } from "#workers/background/queues.ts";
import { parseConfig } from "#workers/platform/env.ts";

export const ORIGIN = "http://perch.test";

/** Events committed through testDomain() contexts, waiting for deliverEvents(). */
const committedEvents: DomainEvent[] = [];

/**
 * A domain context over this test file's real local bindings, acting as no one (or as the given user). The events it
 * commits wait for deliverEvents() instead of going to the local queues, so a test decides when side effects happen.
 */
export function testDomain(actor: Actor | null = null): DomainContext {
  return { db: createDatabase(env.DB), env, config: parseConfig(env), actor, afterCommit: (events) => committedEvents.push(...events) };
}

/** Waits for something the queues do in the background (through the real relay and local queues) to be true. */
export function eventually<T>(assertion: () => Promise<T>): Promise<T> {
  return vi.waitFor(assertion, { timeout: 15_000, interval: 100 });
}

/** A test context acting as a user (commands that check permissions read the actor from the context). */
export const asUser = (user: Pick<User, "id" | "role">) => testDomain({ id: user.id, role: user.role });

/**
 * Hands every event committed through testDomain() so far to the queue consumer, queue by queue, exactly as the relay
 * and Queues would (the same routing, validation and handlers), until none are left. The relay itself and the real
 * local queues are tested in events.test.ts.
 */
export async function deliverEvents(): Promise<number> {
  let delivered = 0;
  while (committedEvents.length > 0) {
    const events = committedEvents.splice(0);
    delivered += events.length;
    for (const queue of EVENT_QUEUES) {
      const routed = events.filter((event) => queuesFor(event.type).includes(queue));
      if (routed.length === 0) continue;
      const messages = routed.map((event) => ({
        id: event.id,
        timestamp: event.occurredAt,
        attempts: 1,
        body: { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt.getTime() },
      }));
      const batch = createMessageBatch(`perch-${queue}`, messages);
      await processBatch(batch, testDomain());
      const result = await getQueueResult(batch, createExecutionContext());
      expect(result.retryMessages, `every ${queue} event was handled`).toEqual([]);
    }
  }
  return delivered;
}

/**
 * Local rate limits count in windows aligned to the wall clock (miniflare's, 60 s for ours): a test that fills one
 * waits, when the current window has less than `seconds` left, for the next, so that its requests all fall in one.
 */
export async function freshRateLimitWindow(seconds = 20): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/** A request through the whole Worker (router, doors, middleware), as a browser or API client would send it. */
export function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(new URL(path, ORIGIN), { redirect: "manual", ...init });
  // Browsers always send Host; Remix compares it with Origin on form posts.
  if (!request.headers.has("Host")) request.headers.set("Host", new URL(ORIGIN).host);
  return exports.default.fetch(request);
}

/** A WebSocket through the worker's door (a page's: pass its Cookie and Origin), and the close code it ends with. */
export async function openSocket(path: string, headers: Record<string, string> = {}) {
  const response = await fetchWorker(path, { headers: { Upgrade: "websocket", ...headers } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  return { socket, closed };
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

/** Logs a user in through the log-in form and returns the session cookie; each IP has its own log-in rate limit. */
export async function logInAs(user: { username: string }, password: string, ip = "192.0.2.2"): Promise<string> {
  return sessionOf(await postForm("/login", { identifier: user.username, password }, { ip }));
}

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
