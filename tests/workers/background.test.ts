import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { deadLetters, outbox } from "#db/schema/index.ts";
import { deliverEmail, sendEmail } from "#domain/email.ts";
import { DEAD_LETTER_RETENTION_MS, recentDeadLetters } from "#domain/dead-letters.ts";
import { processBatch, queueKindOf, retryDelaySeconds, type QueueConsumers } from "#workers/background/queues.ts";
import worker from "#workers/entry.ts";
import { expectLoggedErrors } from "./setup.ts";
import { testDomain } from "./support.ts";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });

describe("queue dispatch", () => {
  it("recognises each queue by name, in every environment", () => {
    expect(queueKindOf("perch-fanout")).toBe("fanout");
    expect(queueKindOf("perch-moderation-staging")).toBe("moderation");
    expect(queueKindOf("perch-dead-letter-production")).toBe("dead-letter");
    expect(queueKindOf("someone-elses-queue")).toBeUndefined();
  });

  it("retries only the message that failed, with backoff, and acknowledges the rest", async () => {
    expectLoggedErrors();
    const handled: number[] = [];
    const registry: QueueConsumers = {
      fanout: {
        schema: z.object({ n: z.number() }),
        handle: async (_ctx, body) => {
          const { n } = body as { n: number };
          if (n === 2) throw new Error("downstream unavailable");
          handled.push(n);
        },
      },
    };
    const batch = createMessageBatch("perch-fanout", [message("a", { n: 1 }), message("b", { n: 2 }, 3), message("c", { n: 3 })]);
    const ctx = createExecutionContext();
    const retry = vi.spyOn(batch.messages[1]!, "retry");
    await processBatch(batch, testDomain(), registry);
    const result = await getQueueResult(batch, ctx);
    expect(handled).toEqual([1, 3]);
    expect(result.explicitAcks.sort()).toEqual(["a", "c"]);
    expect(result.retryMessages).toEqual([{ msgId: "b" }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
  });

  it("keeps malformed messages and messages for queues without a consumer as dead letters, and acknowledges them", async () => {
    const batch = createMessageBatch("perch-moderation", [message("x", { anything: true })]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["x"]);
    const [letter] = await recentDeadLetters(testDomain(), 1);
    expect(letter).toMatchObject({
      queue: "perch-moderation",
      body: { anything: true },
      reason: "No consumer handles queue perch-moderation",
    });
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
    await worker.scheduled(createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() }), env);
    expect((await recentDeadLetters(ctx)).map((letter) => letter.body)).toEqual([{ old: false }]);
  });

  it("runs the nightly database optimisation", async () => {
    const log = vi.spyOn(console, "log");
    await worker.scheduled(createScheduledController({ cron: "30 3 * * *", scheduledTime: new Date() }), env);
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ message: "cron job finished", job: "optimize-database" }));
  });

  it("warns about a schedule it has no job for, without failing", async () => {
    const warn = vi.spyOn(console, "warn");
    await worker.scheduled(createScheduledController({ cron: "*/7 * * * *", scheduledTime: new Date() }), env);
    expect(String(warn.mock.calls[0]?.[0])).toContain("No job for this schedule");
  });
});

describe("email delivery", () => {
  it("queues a reference, and the notifications consumer delivers it to the development mailbox", async () => {
    const ctx = testDomain();
    const id = await sendEmail(ctx, {
      to: "reader@example.test",
      subject: "Hello",
      text: "Body with a link https://perch.test/x",
      html: "<p>Body</p>",
    });
    await vi.waitFor(
      async () => {
        const [email] = await ctx.db.select().from(outbox).where(eq(outbox.id, id));
        expect(email).toMatchObject({ status: "sent", text: "Body with a link https://perch.test/x" });
      },
      { timeout: 10_000, interval: 200 },
    );
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
