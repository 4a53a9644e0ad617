import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, desc, eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deadLetters, domainEvents, notifications, outbox, users } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { recentDeadLetters } from "#domain/dead-letters.ts";
import { sendEmail } from "#domain/email.ts";
import { commit, RELAY_GRACE_MS } from "#domain/events/outbox.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { eventHandlers, handlersFor, queuesFor } from "#workers/background/event-handlers.ts";
import { processBatch } from "#workers/background/queues.ts";
import { relayEvents } from "#workers/background/relay.ts";
import worker from "#workers/entry.ts";
import { createLogger } from "#workers/platform/logger.ts";
import { deliverEvents, eventually, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = () => makeUser(ctx, { username: `evented${(count += 1)}` });

const eventsOfType = (type: string) => ctx.db.select().from(domainEvents).where(eq(domainEvents.type, type)).orderBy(desc(domainEvents.id));

/** Pretends the in-request relay gave up long enough ago for the cron to take over. */
const ageEvents = (ids: string[]) =>
  ctx.db
    .update(domainEvents)
    .set({ occurredAt: new Date(Date.now() - RELAY_GRACE_MS - 1000) })
    .where(inArray(domainEvents.id, ids));

const runCron = (cron: string) =>
  worker.scheduled(createScheduledController({ cron, scheduledTime: new Date() }), env, createExecutionContext());

describe("domain events", () => {
  it("are written in the same batch as their change: a batch that fails leaves neither", async () => {
    const taken = await person();
    const before = (await ctx.db.select().from(domainEvents)).length;
    await expect(
      commit(ctx, [ctx.db.insert(users).values({ ...taken, id: "1" })], [{ type: "profile.updated", payload: { userId: taken.id } }]),
    ).rejects.toThrow();
    expect(await ctx.db.select().from(domainEvents)).toHaveLength(before);

    const author = await person();
    const fan = await person();
    const post = await makePost(ctx, author, { text: "Liked twice, told once" });
    await favourite(ctx, fan.id, post.id);
    await favourite(ctx, fan.id, post.id);
    const likes = (await eventsOfType("post.favourited")).filter((event) => (event.payload as { postId: string }).postId === post.id);
    expect(likes).toHaveLength(1);
  });

  it("are handed to the relay only after their batch committed, and the relay marks them sent", async () => {
    const relayed: string[][] = [];
    const relaying = { ...ctx, afterCommit: (events: { id: string }[]) => relayed.push(events.map((event) => event.id)) };
    const id = await sendEmail(relaying, { to: "relay@example.test", subject: "Relay", text: "t", html: "<p>t</p>" });
    const [event] = (await eventsOfType("email.queued")).filter((row) => (row.payload as { outboxId: string }).outboxId === id);
    expect(relayed).toEqual([[event!.id]]);
    expect(event!.relayedAt).toBeNull();
    expect(await relayEvents(ctx, [event!], createLogger("info"))).toBe(1);
    const [after] = await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, event!.id));
    expect(after!.relayedAt).not.toBeNull();
    await eventually(async () => expect((await ctx.db.select().from(outbox).where(eq(outbox.id, id)))[0]!.status).toBe("sent"));
  });

  it("that could not be sent are sent by the cron once their grace period is over, and reach their handler", async () => {
    const failing = vi.spyOn(env.NOTIFICATIONS_QUEUE, "sendBatch").mockRejectedValue(new Error("queue unavailable"));
    const warn = vi.spyOn(console, "warn");
    const id = await sendEmail(ctx, { to: "later@example.test", subject: "Later", text: "t", html: "<p>t</p>" });
    const [event] = (await eventsOfType("email.queued")).filter((row) => (row.payload as { outboxId: string }).outboxId === id);
    expect(await relayEvents(ctx, [event!], createLogger("info"))).toBe(0);
    expect(String(warn.mock.calls.at(-1)?.[0])).toContain("Could not relay events; the cron will send them again");
    expect((await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, event!.id)))[0]!.relayedAt).toBeNull();

    // Within the grace period the cron leaves it to the request's relay.
    failing.mockRestore();
    await runCron("* * * * *");
    expect((await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, event!.id)))[0]).toMatchObject({ relayedAt: null });

    await ageEvents([event!.id]);
    await runCron("* * * * *");
    const [relayed] = await ctx.db.select().from(domainEvents).where(eq(domainEvents.id, event!.id));
    expect(relayed).toMatchObject({ relayedAt: expect.any(Date), relayAttempts: 1 });
    await eventually(async () => expect((await ctx.db.select().from(outbox).where(eq(outbox.id, id)))[0]!.status).toBe("sent"));
  });

  it("of a type no code knows are relayed to a queue whose consumer dead-letters them with the reason", async () => {
    await ctx.db.delete(deadLetters);
    await ctx.db.insert(domainEvents).values({
      id: "100000000000000001",
      type: "post.levitated",
      payload: { postId: "1" },
      occurredAt: new Date(Date.now() - RELAY_GRACE_MS - 1000),
    });
    await runCron("* * * * *");
    await eventually(async () => {
      const [letter] = await recentDeadLetters(ctx, 1);
      expect(letter).toMatchObject({ queue: "perch-fanout", reason: 'Unknown event type "post.levitated"' });
    });
  });

  it("are handled once in effect however often they are delivered", async () => {
    const author = await person();
    const fan = await person();
    const post = await makePost(ctx, author, { text: "Delivered twice" });
    await deliverEvents();
    await favourite(ctx, fan.id, post.id);
    const [event] = await eventsOfType("post.favourited");
    const message = { id: "twice", timestamp: new Date(), attempts: 1, body: { ...event!, occurredAt: event!.occurredAt.getTime() } };
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const batch = createMessageBatch("perch-notifications", [message]);
      await processBatch(batch, ctx);
      expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["twice"]);
    }
    const told = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, author.id), eq(notifications.type, "favourite")));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ fromUserId: fan.id, postId: post.id, eventId: event!.id });
  });

  it("reach only the queues whose handlers want them, and every handler names an event in the catalogue", () => {
    expect(queuesFor("post.created").sort()).toEqual(["embeddings", "fanout", "moderation", "notifications"]);
    expect(queuesFor("email.queued")).toEqual(["notifications"]);
    expect(queuesFor("block.created")).toEqual(["fanout"]);
    expect(queuesFor("post.opened")).toEqual(["embeddings"]);
    expect(queuesFor("profile.updated")).toEqual(["moderation"]);
    expect(handlersFor("post.created", "fanout").map((handler) => handler.name)).toEqual([
      "fetch-preview-card",
      "fan-out-post",
      "stream-post",
      "stream-reply-count",
      "file-direct-post",
    ]);
    const names = eventHandlers.map((handler) => handler.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("are removed a week after they were relayed, by the hourly job", async () => {
    const old = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    await ctx.db.insert(domainEvents).values([
      { id: "100000000000000010", type: "profile.updated", payload: { userId: "1" }, occurredAt: old, relayedAt: old },
      { id: "100000000000000011", type: "profile.updated", payload: { userId: "1" }, occurredAt: old },
    ]);
    await runCron("0 * * * *");
    const left = await ctx.db
      .select({ id: domainEvents.id })
      .from(domainEvents)
      .where(inArray(domainEvents.id, ["100000000000000010", "100000000000000011"]));
    expect(left).toEqual([{ id: "100000000000000011" }]);
  });
});
