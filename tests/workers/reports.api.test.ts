import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reportPosts, reports } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { REPORTS_PER_HOUR } from "#domain/moderation/reports.ts";
import { callApi, eventually, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
let count = 0;
const person = (role: "user" | "moderator" | "admin" = "user") => makeUser(ctx, { username: `reporting${(count += 1)}`, role });

const report = (token: string | null, body: Record<string, unknown>) =>
  callApi("/api/v1/reports", token, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("POST /api/v1/reports", () => {
  it("files a report with attached posts, answers Mastodon's Report entity and tells every moderator", async () => {
    const [reporter, target, moderator, admin, bystander] = [
      await person(),
      await person(),
      await person("moderator"),
      await person("admin"),
      await person(),
    ];
    const [first, second] = [await makePost(ctx, target, { text: "rude" }), await makePost(ctx, target, { text: "ruder" })];
    const token = await tokenFor(reporter.id, ["write:reports"]);
    const { response, body } = await report(token, {
      account_id: target.id,
      status_ids: [first.id, second.id],
      category: "harassment",
      comment: "Keeps going at people",
      forward: true,
    });
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      action_taken: false,
      category: "violation",
      perch: { category: "harassment" },
      comment: "Keeps going at people",
      forwarded: false,
      rule_ids: [],
      target_account: { id: target.id },
    });
    expect(body.status_ids.sort()).toEqual([first.id, second.id].sort());

    // Filed through the Worker, the report's event goes through the real relay and local queues.
    for (const recipient of [moderator, admin]) {
      const recipientToken = await tokenFor(recipient.id, ["read"]);
      await eventually(async () => {
        const inbox = await callApi("/api/v1/notifications?types[]=admin.report", recipientToken);
        expect(inbox.body).toHaveLength(1);
        expect(inbox.body[0]).toMatchObject({ type: "admin.report", account: { id: reporter.id }, report: { id: body.id } });
      });
    }
    const uninvolved = await callApi("/api/v1/notifications", await tokenFor(bystander.id, ["read"]));
    expect(uninvolved.body).toEqual([]);
    const targetInbox = await callApi("/api/v1/notifications", await tokenFor(target.id, ["read"]));
    expect(targetInbox.body, "the reported account is not told").toEqual([]);
  });

  it("maps Mastodon's categories: legal is illegal, violation and a missing category are other", async () => {
    const [reporter, target] = [await person(), await person()];
    const token = await tokenFor(reporter.id, ["write:reports"]);
    const legal = await report(token, { account_id: target.id, category: "legal" });
    expect(legal.body).toMatchObject({ category: "legal", perch: { category: "illegal" } });
    const violation = await report(token, { account_id: target.id, category: "violation" });
    expect(violation.body).toMatchObject({ category: "other", perch: { category: "other" } });
    const form = await callApi("/api/v1/reports", token, {
      method: "POST",
      body: new URLSearchParams({ account_id: target.id, "status_ids[]": (await makePost(ctx, target)).id }),
    });
    expect(form.response.status).toBe(200);
    expect(form.body).toMatchObject({ category: "other", status_ids: [expect.any(String)] });
  });

  it("refuses bad reports with Mastodon's errors and stores nothing", async () => {
    const [reporter, target, other] = [await person(), await person(), await person()];
    const token = await tokenFor(reporter.id, ["write:reports"]);
    const posts = [];
    for (let i = 0; i < 6; i += 1) posts.push(await makePost(ctx, target, { text: `post ${i}` }));
    const hidden = await makePost(ctx, target, { text: "for followers", visibility: "private" });
    const foreign = await makePost(ctx, other, { text: "someone else's" });

    const cases: [Record<string, unknown>, number][] = [
      [{}, 422],
      [{ account_id: reporter.id }, 422],
      [{ account_id: "nobody" }, 404],
      [{ account_id: target.id, status_ids: posts.map((post) => post.id) }, 422],
      [{ account_id: target.id, status_ids: [hidden.id] }, 404],
      [{ account_id: target.id, status_ids: ["missing"] }, 404],
      [{ account_id: target.id, status_ids: [foreign.id] }, 422],
      [{ account_id: target.id, rule_ids: ["1"] }, 422],
      [{ account_id: target.id, category: "nonsense" }, 422],
      [{ account_id: target.id, comment: "x".repeat(1001) }, 422],
    ];
    for (const [body, status] of cases) {
      const answer = await report(token, body);
      expect([JSON.stringify(body).slice(0, 80), answer.response.status]).toEqual([JSON.stringify(body).slice(0, 80), status]);
      expect(answer.body).toEqual({ error: expect.any(String) });
    }
    expect(await ctx.db.select().from(reports).where(eq(reports.reporterId, reporter.id))).toEqual([]);
    expect((await report(await tokenFor(reporter.id, ["read"]), { account_id: target.id })).response.status).toBe(403);
    expect((await report(null, { account_id: target.id })).response.status).toBe(401);
  });

  it("limits how many reports one person files in an hour", async () => {
    const [reporter, target] = [await person(), await person()];
    const token = await tokenFor(reporter.id, ["write:reports"]);
    for (let i = 0; i < REPORTS_PER_HOUR; i += 1) {
      expect((await report(token, { account_id: target.id, category: "spam" })).response.status).toBe(200);
    }
    const refused = await report(token, { account_id: target.id, category: "spam" });
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get("Retry-After")).toBe("3600");
  });

  it("keeps the attached posts with the report", async () => {
    const [reporter, target] = [await person(), await person()];
    const post = await makePost(ctx, target, { text: "evidence" });
    const { body } = await report(await tokenFor(reporter.id, ["write:reports"]), { account_id: target.id, status_ids: [post.id] });
    expect(await ctx.db.select().from(reportPosts).where(eq(reportPosts.reportId, body.id))).toEqual([
      { reportId: body.id, postId: post.id },
    ]);
  });
});
