import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deadLetters, domainEvents, messages, outbox } from "#db/schema/index.ts";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { openDirect } from "#domain/messages/conversations.ts";
import { sendMessage } from "#domain/messages/messages.ts";
import { DEAD_LETTER_RETENTION_MS, recentDeadLetters } from "#domain/dead-letters.ts";
import { deliverEmail, sendEmail } from "#domain/email.ts";
import type { EventHandler } from "#workers/background/event-handlers.ts";
import { MAX_ATTEMPTS, processBatch, queueKindOf, retryDelaySeconds } from "#workers/background/queues.ts";
import worker from "#workers/entry.ts";
import { expectLoggedErrors } from "./setup.ts";
import { deliverEvents, testDomain } from "./support.ts";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });

const eventBody = (id: string, type: string, payload: unknown) => ({ id, type, payload, occurredAt: Date.now() });

describe("queue dispatch", () => {
  it("recognises each queue by name, in every environment", () => {
    expect(queueKindOf("perch-fanout")).toBe("fanout");
    expect(queueKindOf("perch-moderation-staging")).toBe("moderation");
    expect(queueKindOf("perch-dead-letter-production")).toBe("dead-letter");
    expect(queueKindOf("someone-elses-queue")).toBeUndefined();
  });

  it("routes each event to the handlers of its type in that queue, retries only the one that failed, and acknowledges the rest", async () => {
    const handled: string[] = [];
    const registry: EventHandler[] = [
      {
        name: "record",
        queue: "fanout",
        events: ["post.favourited", "follow.created"],
        handle: async (_ctx, event) => {
          if (event.type === "follow.created") throw new Error("downstream unavailable");
          handled.push(event.id);
        },
      },
      { name: "elsewhere", queue: "notifications", events: ["post.favourited"], handle: async () => handled.push("wrong queue") },
    ];
    const batch = createMessageBatch("perch-fanout", [
      message("a", eventBody("e1", "post.favourited", { postId: "1", actorId: "2" })),
      message("b", eventBody("e2", "follow.created", { followerId: "1", followeeId: "2", fromRequest: false }), 3),
      message("c", eventBody("e3", "post.favourited", { postId: "3", actorId: "2" })),
    ]);
    const retry = vi.spyOn(batch.messages[1]!, "retry");
    await processBatch(batch, testDomain(), registry);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(handled).toEqual(["e1", "e3"]);
    expect(result.explicitAcks.sort()).toEqual(["a", "c"]);
    expect(result.retryMessages).toEqual([{ msgId: "b" }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
  });

  it("dead-letters malformed messages, unknown event types and payloads that do not match, with the reason, while the rest of the batch lands", async () => {
    const ctx = testDomain();
    await ctx.db.delete(deadLetters);
    const handled: string[] = [];
    const registry: EventHandler[] = [
      { name: "record", queue: "notifications", events: ["post.favourited"], handle: async (_ctx, event) => handled.push(event.id) },
    ];
    const batch = createMessageBatch("perch-notifications", [
      message("m1", { anything: true }),
      message("m2", eventBody("e1", "post.teleported", { postId: "1" })),
      message("m3", eventBody("e2", "post.favourited", { postId: 42 })),
      message("m4", eventBody("e3", "post.favourited", { postId: "1", actorId: "2" })),
    ]);
    await processBatch(batch, ctx, registry);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2", "m3", "m4"]);
    expect(handled).toEqual(["e3"]);
    const reasons = (await recentDeadLetters(ctx, 10)).map((letter) => letter.reason).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^Malformed message: /),
      expect.stringMatching(/^Malformed post\.favourited payload: postId/),
      'Unknown event type "post.teleported"',
    ]);
  });

  it("dead-letters a message whose handler failed on the last attempt, with the handler and its error", async () => {
    const ctx = testDomain();
    await ctx.db.delete(deadLetters);
    expectLoggedErrors();
    const registry: EventHandler[] = [
      {
        name: "always-fails",
        queue: "fanout",
        events: ["post.favourited"],
        handle: () => Promise.reject(new Error("the disk is on fire")),
      },
    ];
    const batch = createMessageBatch("perch-fanout", [
      message("x", eventBody("e1", "post.favourited", { postId: "1", actorId: "2" }), MAX_ATTEMPTS),
    ]);
    await processBatch(batch, ctx, registry);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["x"]);
    const [letter] = await recentDeadLetters(ctx, 1);
    expect(letter).toMatchObject({
      queue: "perch-fanout",
      attempts: MAX_ATTEMPTS,
      reason: `always-fails failed ${MAX_ATTEMPTS} times: the disk is on fire`,
    });
  });

  it("records what the platform moved to the dead-letter queue, and messages for a queue no consumer knows", async () => {
    const ctx = testDomain();
    await ctx.db.delete(deadLetters);
    for (const queue of ["perch-dead-letter", "someone-elses-queue"]) {
      const batch = createMessageBatch(queue, [message(`from-${queue}`, { anything: true })]);
      await worker.queue(batch, env, createExecutionContext());
      expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual([`from-${queue}`]);
    }
    expect((await recentDeadLetters(ctx, 2)).map((letter) => letter.reason).sort()).toEqual([
      "No consumer handles queue someone-elses-queue",
      "Retries exhausted (the platform moved it to the dead-letter queue)",
    ]);
  });

  it("backs off exponentially up to 15 minutes", () => {
    expect([1, 2, 3, 4, 10, 20].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 900, 900]);
  });

  it("delivers through the real local queue: a malformed message lands in D1 as a dead letter", async () => {
    await env.NOTIFICATIONS_QUEUE.send({ type: "probe", marker: "through-the-queue" });
    await vi.waitFor(
      async () => {
        const letters = await recentDeadLetters(testDomain(), 10);
        expect(letters.map((letter) => letter.body)).toContainEqual({ type: "probe", marker: "through-the-queue" });
      },
      { timeout: 10_000, interval: 200 },
    );
  });
});

describe("cron dispatch", () => {
  it("runs the hourly job: dead letters past their retention are removed, recent ones kept", async () => {
    const ctx = testDomain();
    await ctx.db.delete(deadLetters);
    const old = new Date(Date.now() - DEAD_LETTER_RETENTION_MS - 60_000);
    await ctx.db.insert(deadLetters).values([
      { queue: "perch-fanout", body: { old: true }, reason: "test", attempts: 5, createdAt: old },
      { queue: "perch-fanout", body: { old: false }, reason: "test", attempts: 5, createdAt: new Date() },
    ]);
    await worker.scheduled(createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() }), env, createExecutionContext());
    expect((await recentDeadLetters(ctx)).map((letter) => letter.body)).toEqual([{ old: false }]);
  });

  it("runs the nightly database optimisation", async () => {
    const log = vi.spyOn(console, "log");
    await worker.scheduled(createScheduledController({ cron: "30 3 * * *", scheduledTime: new Date() }), env, createExecutionContext());
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ message: "cron job finished", job: "optimize-database" }));
  });

  it("runs every task of a job when one fails: a row under an unconfigured key version stops rotation, not trends", async () => {
    const ctx = testDomain();
    const [owner, other] = [await makeUser(ctx, { username: "cronkey1" }), await makeUser(ctx, { username: "cronkey2" })];
    await follow(ctx, other.id, owner.id);
    const conversation = await openDirect(ctx, owner.id, other.id);
    const { message } = await sendMessage(ctx, { conversationId: conversation.id, senderId: owner.id, clientId: "k", text: "sealed" });
    await deliverEvents();
    // A version no secret in MESSAGE_ENCRYPTION_KEY names: re-encrypting it cannot decrypt it.
    await ctx.db.update(messages).set({ keyVersion: 7 }).where(eq(messages.id, message.id));
    const logged = expectLoggedErrors();
    const log = vi.spyOn(console, "log");
    const run = worker.scheduled(
      createScheduledController({ cron: "*/5 * * * *", scheduledTime: new Date() }),
      env,
      createExecutionContext(),
    );
    await expect(run).rejects.toThrow("1 task(s) of cron job close-polls-trends-and-rotation failed");
    expect(logged()).toEqual([
      expect.objectContaining({ message: "cron task failed", job: "close-polls-trends-and-rotation", task: "reencrypt-messages" }),
    ]);
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    const finished = lines.find((line) => line.message === "cron job finished" && line.job === "close-polls-trends-and-rotation");
    // The tasks after the failed one ran: polls were closed and trends refreshed.
    expect(finished).toMatchObject({
      failedTasks: 1,
      pollsClosed: expect.any(Number),
      trendingTags: expect.any(Number),
      trendingPosts: expect.any(Number),
    });
    expect(finished).not.toHaveProperty("messagesReencrypted");
    // Back to the version it was sealed under, for the rest of the file's runs.
    await ctx.db.update(messages).set({ keyVersion: 2 }).where(eq(messages.id, message.id));
  });

  it("warns about a schedule it has no job for, without failing", async () => {
    const warn = vi.spyOn(console, "warn");
    await worker.scheduled(createScheduledController({ cron: "*/7 * * * *", scheduledTime: new Date() }), env, createExecutionContext());
    expect(String(warn.mock.calls[0]?.[0])).toContain("No job for this schedule");
  });
});

describe("email delivery", () => {
  it("stores the email with an event carrying only its reference, and the event's handler delivers it to the development mailbox", async () => {
    const ctx = testDomain();
    const id = await sendEmail(ctx, {
      to: "reader@example.test",
      subject: "Hello",
      text: "Body with a link https://perch.test/x",
      html: "<p>Body</p>",
    });
    const [stored] = await ctx.db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.type, "email.queued"))
      .orderBy(desc(domainEvents.id))
      .limit(1);
    expect(stored?.payload).toEqual({ outboxId: id });
    expect((await ctx.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.status).toBe("pending");
    await deliverEvents();
    const [email] = await ctx.db.select().from(outbox).where(eq(outbox.id, id));
    expect(email).toMatchObject({ status: "sent", text: "Body with a link https://perch.test/x" });
  });

  it("in production, sends through the send_email binding and erases the body once sent", async () => {
    const ctx = testDomain();
    const production = { ...ctx, config: { ...ctx.config, ENVIRONMENT: "production" as const } };
    const send = vi.spyOn(env.EMAIL, "send").mockResolvedValue({ messageId: "m-1" });
    const [row] = await ctx.db
      .insert(outbox)
      .values({ to: "someone@example.test", subject: "Reset", text: "secret link", html: "<p>secret link</p>", createdAt: new Date() })
      .returning();
    await deliverEmail(production, row!.id);
    await deliverEmail(production, row!.id);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ to: "someone@example.test", subject: "Reset", from: "Perch <no-reply@perch.local>" }),
    );
    const [sent] = await ctx.db.select().from(outbox).where(eq(outbox.id, row!.id));
    expect(sent).toMatchObject({ status: "sent", text: null, html: null });
  });
});
