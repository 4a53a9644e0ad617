import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newId } from "#db/ids.ts";
import { identiconPng } from "#db/seed/artwork.ts";
import { activeDays, auditLog, moderationActions, moderationDecisions, posts, reportNotes, reports } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import type { DomainEvent } from "#domain/events/catalogue.ts";
import { dashboard, sampleQueues } from "#domain/dashboard.ts";
import { readInstanceSettings } from "#domain/instance-settings.ts";
import { deleteAccount } from "#domain/accounts/deletion.ts";
import { fileReport } from "#domain/moderation/reports.ts";
import { MAX_ATTEMPTS, processBatch } from "#workers/background/queues.ts";
import { asUser, callApi, eventually, fetchWorker, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;

async function signedIn(role: "user" | "moderator" | "admin" = "user") {
  count += 1;
  const user = await makeUser(ctx, { username: `adminsite${count}`, password: PASSWORD, role });
  const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `192.0.2.${150 + count}` }));
  return { user, cookie };
}

/** Hands the moderation queue a post.created event as the queue would, on its last attempt (no retries pending). */
async function runPipeline(post: { id: string; authorId: string }) {
  const event: DomainEvent<"post.created"> = {
    id: newId(),
    type: "post.created",
    payload: { postId: post.id, authorId: post.authorId, mentioned: [] },
    occurredAt: new Date(),
  };
  const batch = createMessageBatch("perch-moderation", [
    { id: event.id, timestamp: event.occurredAt, attempts: MAX_ATTEMPTS, body: { ...event, occurredAt: event.occurredAt.getTime() } },
  ]);
  await processBatch(batch, ctx);
  expect((await getQueueResult(batch, createExecutionContext())).retryMessages).toEqual([]);
}

const auditOf = (targetId: string) => ctx.db.select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);

describe("admin pages' permissions", () => {
  it("answers 403 to non-moderators on every loader and action, and to moderators on the admins' pages", async () => {
    const user = await signedIn("user");
    const moderator = await signedIn("moderator");
    const admin = await signedIn("admin");
    const target = await makeUser(ctx, { username: "adminsite_perm_target" });
    const report = await fileReport(ctx, admin.user.id, { targetAccountId: target.id, category: "spam" });
    const moderatorPages = ["/admin", "/admin/reports", `/admin/reports/${report.id}`, "/admin/queue", "/admin/audit"];
    const adminPages = ["/admin/settings", "/admin/emoji", "/admin/email-blocks"];
    const actions: [string, Record<string, string>][] = [
      ["/admin", { intent: "appeal", actionId: "1", decision: "upheld" }],
      ["/admin/reports", { intent: "assign", reportId: report.id }],
      [`/admin/reports/${report.id}`, { intent: "note", note: "Looks like spam" }],
      ["/admin/queue", { decision: "approve", postId: "1", reason: "Fine" }],
      ["/admin/settings", { intent: "trends", trendsReviewNewTags: "on" }],
      ["/admin/emoji", { intent: "delete", id: "1" }],
      ["/admin/email-blocks", { intent: "block", email: "perm@blocked.example" }],
    ];
    for (const path of [...moderatorPages, ...adminPages]) {
      expect([path, (await getPage(path, user.cookie)).response.status]).toEqual([path, 403]);
      expect([path, (await getPage(path)).response.status]).toEqual([path, 302]);
    }
    for (const path of moderatorPages) expect([path, (await getPage(path, moderator.cookie)).response.status]).toEqual([path, 200]);
    for (const path of adminPages) {
      expect([path, (await getPage(path, moderator.cookie)).response.status]).toEqual([path, 403]);
      expect([path, (await getPage(path, admin.cookie)).response.status]).toEqual([path, 200]);
    }
    for (const [path, fields] of actions) {
      expect([path, (await postForm(path, fields, { cookie: user.cookie })).status]).toEqual([path, 403]);
    }
    for (const [path, fields] of actions.filter(([path]) => adminPages.includes(path))) {
      expect([path, (await postForm(path, fields, { cookie: moderator.cookie })).status]).toEqual([path, 403]);
    }
    expect(await ctx.db.select().from(reportNotes).where(eq(reportNotes.reportId, report.id))).toEqual([]);
    expect((await ctx.db.query.reports.findFirst({ where: eq(reports.id, report.id) }))!.assignedToId).toBeNull();
  });
});

describe("/admin/settings", () => {
  it("saves the title, description and ordered rules, shown in the instance API and at sign-up, and audit-logged", async () => {
    const admin = await signedIn("admin");
    const saved = await postForm(
      "/admin/settings",
      {
        intent: "site",
        "site.title": "Perch Test Server",
        "site.description": "A place for tests",
        "site.rules.0.id": "",
        "site.rules.0.text": "Be kind",
        "site.rules.0.hint": "No insults",
      },
      { cookie: admin.cookie },
    );
    expect(saved.status).toBe(200);
    const more = await postForm(
      "/admin/settings",
      {
        intent: "site",
        "site.title": "Perch Test Server",
        "site.description": "A place for tests",
        "site.rules.0.id": (await callApi("/api/v1/instance/rules", null)).body[0].id,
        "site.rules.0.text": "Be kind",
        "site.rules.0.hint": "No insults",
        "site.rules.1.id": "",
        "site.rules.1.text": "No spam",
        "site.rules.1.hint": "",
        moveUp: "1",
      },
      { cookie: admin.cookie },
    );
    expect(more.status).toBe(200);
    const rules = (await callApi("/api/v1/instance/rules", null)).body as { id: string; text: string; hint: string }[];
    expect(rules.map((rule) => [rule.text, rule.hint])).toEqual([
      ["No spam", ""],
      ["Be kind", "No insults"],
    ]);
    const v2 = (await callApi("/api/v2/instance", null)).body;
    expect(v2).toMatchObject({ title: "Perch Test Server", description: "A place for tests", rules });
    expect((await callApi("/api/v1/instance", null)).body.rules).toEqual(rules);
    expect((await getPage("/signup")).html).toContain("No spam");
    const [entry] = await auditOf("site");
    expect(entry).toMatchObject({ moderatorId: admin.user.id, action: "update_settings", targetKind: "settings" });

    // Reports may now cite a rule; an unknown one is still refused.
    const reporter = await makeUser(ctx, { username: "adminsite_rule_reporter" });
    const target = await makeUser(ctx, { username: "adminsite_rule_target" });
    const token = await tokenFor(reporter.id);
    const cite = (ruleId: string) =>
      callApi("/api/v1/reports", token, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ account_id: target.id, category: "violation", rule_ids: [ruleId] }),
      });
    expect((await cite(rules[0]!.id)).response.status).toBe(200);
    expect((await cite("999")).response.status).toBe(422);
  });

  it("refuses a threshold out of order or out of range beside its field, keeping what was typed, and saves nothing", async () => {
    const admin = await signedIn("admin");
    const answer = await postForm(
      "/admin/settings",
      {
        intent: "moderation",
        "moderation.blockedWords": "kept word",
        "moderation.blockedDomains": "",
        "moderation.thresholds.hate.sensitive": "0.8",
        "moderation.thresholds.hate.hold": "0.5",
        "moderation.thresholds.hate.remove": "",
        "moderation.thresholds.spam.hold": "1.5",
      },
      { cookie: admin.cookie },
    );
    expect(answer.status).toBe(422);
    const html = await answer.text();
    expect(html).toContain("The hold cut-off must not be below the sensitive cut-off");
    expect(html).toContain("A cut-off is between 0 and 1");
    expect(html).toContain("kept word");
    expect(html).toMatch(
      /name="moderation\.thresholds\.hate\.hold"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="moderation\.thresholds\.hate\.hold"/,
    );
    expect(await auditOf("moderation")).toEqual([]);
  });

  it("the pipeline decides with the thresholds saved there", async () => {
    const admin = await signedIn("admin");
    const author = await makeUser(ctx, { username: "adminsite_threshold_author" });
    const before = await makePost(ctx, author, { text: "A post about grift" });
    const fields: Record<string, string> = {
      intent: "moderation",
      "moderation.blockedWords": "grift",
      "moderation.blockedDomains": "",
    };
    expect((await postForm("/admin/settings", fields, { cookie: admin.cookie })).status).toBe(200);
    await runPipeline(before);
    expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, before.id) }))!.moderationState).toBe("held");

    // A blocked word now removes instead of holding: the cut-offs come from the page, not the defaults.
    fields["moderation.thresholds.blocked.hold"] = "";
    fields["moderation.thresholds.blocked.remove"] = "1";
    expect((await postForm("/admin/settings", fields, { cookie: admin.cookie })).status).toBe(200);
    const after = await makePost(ctx, author, { text: "More grift here" });
    await runPipeline(after);
    expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, after.id) }))!.moderationState).toBe("removed");
    expect((await auditOf("moderation")).map((entry) => entry.action)).toEqual(["update_settings", "update_settings"]);
    // Saving another key leaves this one as it was (each key is replaced alone).
    expect((await postForm("/admin/settings", { intent: "trends" }, { cookie: admin.cookie })).status).toBe(200);
    expect((await readInstanceSettings(ctx)).moderation.blockedWords).toEqual(["grift"]);
    // Put the defaults back for the other tests in this file.
    expect(
      (
        await postForm(
          "/admin/settings",
          {
            ...fields,
            "moderation.blockedWords": "",
            "moderation.thresholds.blocked.remove": "",
            "moderation.thresholds.blocked.hold": "1",
          },
          { cookie: admin.cookie },
        )
      ).status,
    ).toBe(200);
  });
});

describe("the reports queue", () => {
  it("a moderator takes a report, leaves a note, and deletes every reported post; each step is in the audit log", async () => {
    const moderator = await signedIn("moderator");
    const reporter = await makeUser(ctx, { username: "adminsite_reporter" });
    const target = await makeUser(ctx, { username: "adminsite_reported" });
    const first = await makePost(ctx, target, { text: "First rude post" });
    const second = await makePost(ctx, target, { text: "Second rude post" });
    const report = await fileReport(ctx, reporter.id, {
      targetAccountId: target.id,
      category: "harassment",
      comment: "Rude twice",
      postIds: [first.id, second.id],
    });

    expect((await postForm("/admin/reports", { intent: "assign", reportId: report.id }, { cookie: moderator.cookie })).status).toBe(200);
    expect((await getPage("/admin/reports?assignee=mine", moderator.cookie)).html).toContain("assigned to you");
    expect((await getPage("/admin/reports?assignee=nobody", moderator.cookie)).html).not.toContain("Rude twice");

    const page = `/admin/reports/${report.id}`;
    const empty = await postForm(page, { intent: "note", note: "  " }, { cookie: moderator.cookie });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Write the note");
    expect((await postForm(page, { intent: "note", note: "Second report this week" }, { cookie: moderator.cookie })).status).toBe(200);
    const shown = (await getPage(page, moderator.cookie)).html;
    expect(shown).toContain("Second report this week");
    expect(shown).toContain("First rude post");
    expect(shown).toContain("Second rude post");
    expect(shown).toContain("history");

    const noReason = await postForm(page, { intent: "resolve", command: "remove_post", reason: "" }, { cookie: moderator.cookie });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Give a reason");
    expect(
      (await postForm(page, { intent: "resolve", command: "remove_post", reason: "Insults" }, { cookie: moderator.cookie })).status,
    ).toBe(200);
    for (const post of [first, second]) {
      expect((await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) }))!.moderationState).toBe("removed");
    }
    const actions = await ctx.db.select().from(moderationActions).where(eq(moderationActions.reportId, report.id));
    expect(actions.map((action) => action.postId).sort()).toEqual([first.id, second.id].sort());
    expect((await ctx.db.query.reports.findFirst({ where: eq(reports.id, report.id) }))!.resolution).toBe("actioned");
    expect((await auditOf(report.id)).map((entry) => [entry.action, entry.moderatorId])).toEqual([
      ["assign_report", moderator.user.id],
      ["note_report", moderator.user.id],
      ["remove_post", moderator.user.id],
    ]);
  });
});

describe("resolving a report with dismiss or warn", () => {
  async function reported(name: string) {
    const reporter = await makeUser(ctx, { username: `adminsite_${name}_reporter` });
    const target = await makeUser(ctx, { username: `adminsite_${name}_target` });
    const post = await makePost(ctx, target, { text: `Borderline post ${name}` });
    const report = await fileReport(ctx, reporter.id, { targetAccountId: target.id, category: "other", postIds: [post.id] });
    return { target, post, report };
  }
  const reportRow = (id: string) => ctx.db.query.reports.findFirst({ where: eq(reports.id, id) });
  const actionsOn = (reportId: string) => ctx.db.select().from(moderationActions).where(eq(moderationActions.reportId, reportId));
  const warningsOf = async (userId: string) =>
    ((await callApi("/api/v1/notifications", await tokenFor(userId, ["read"]))).body as { type: string }[]).filter(
      (n) => n.type === "moderation_warning",
    );

  it("dismiss on the page closes the report, touches nothing, tells nobody, and is audit-logged", async () => {
    const moderator = await signedIn("moderator");
    const { target, post, report } = await reported("dismissed");
    const page = `/admin/reports/${report.id}`;
    expect((await getPage("/admin/reports", moderator.cookie)).html).toContain(`href="${page}"`);
    expect(
      (await postForm(page, { intent: "resolve", command: "dismiss", reason: "Not against the rules" }, { cookie: moderator.cookie }))
        .status,
    ).toBe(200);
    expect(await reportRow(report.id)).toMatchObject({ resolution: "dismissed", resolvedById: moderator.user.id });
    expect(await actionsOn(report.id)).toEqual([]);
    expect(await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) })).toMatchObject({ moderationState: null, sensitive: false });
    expect(await ctx.db.query.users.findFirst({ where: (u, { eq: is }) => is(u.id, target.id) })).toMatchObject({ moderationStatus: null });
    expect((await auditOf(report.id)).map((entry) => [entry.action, entry.moderatorId, entry.reason])).toEqual([
      ["dismiss", moderator.user.id, "Not against the rules"],
    ]);
    expect(await warningsOf(target.id)).toEqual([]);
    expect((await getPage("/admin/reports", moderator.cookie)).html).not.toContain(`href="${page}"`);
  });

  it("warn, on the page or through the admin API, closes the report, records a warning the account is told of, and is audit-logged", async () => {
    const moderator = await signedIn("moderator");
    const onPage = await reported("warned_page");
    const page = `/admin/reports/${onPage.report.id}`;
    expect(
      (await postForm(page, { intent: "resolve", command: "warn", reason: "Mind the tone" }, { cookie: moderator.cookie })).status,
    ).toBe(200);

    const viaApi = await reported("warned_api");
    const token = await tokenFor(moderator.user.id, ["admin:write:accounts"]);
    const answer = await callApi(`/api/v1/admin/accounts/${viaApi.target.id}/action`, token, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "none", report_id: viaApi.report.id, text: "Second warning" }),
    });
    expect(answer.response.status).toBe(200);

    for (const [{ target, post, report }, reason] of [
      [onPage, "Mind the tone"],
      [viaApi, "Second warning"],
    ] as const) {
      expect(await reportRow(report.id)).toMatchObject({ resolution: "actioned", resolvedById: moderator.user.id });
      expect(await actionsOn(report.id)).toEqual([
        expect.objectContaining({ kind: "warn", accountId: target.id, moderatorId: moderator.user.id, reason }),
      ]);
      expect(await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) })).toMatchObject({ moderationState: null });
      expect((await auditOf(report.id)).map((entry) => [entry.action, entry.moderatorId, entry.reason])).toEqual([
        ["warn", moderator.user.id, reason],
      ]);
      await eventually(async () => expect(await warningsOf(target.id)).toHaveLength(1));
    }
  });
});

describe("the moderation queue", () => {
  it("approves or removes held posts in bulk with a reason; nothing chosen is an inline error", async () => {
    const moderator = await signedIn("moderator");
    const author = await makeUser(ctx, { username: "adminsite_held_author" });
    const held = [];
    for (const text of ["Held one", "Held two", "Held three"]) {
      const post = await makePost(ctx, author, { text });
      await ctx.db.update(posts).set({ moderationState: "held" }).where(eq(posts.id, post.id));
      held.push(post);
    }
    const queue = (await getPage("/admin/queue", moderator.cookie)).html;
    for (const text of ["Held one", "Held two", "Held three"]) expect(queue).toContain(text);

    const none = await postForm("/admin/queue", { decision: "approve", reason: "Fine" }, { cookie: moderator.cookie });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Choose at least one post");

    const approved = await postForm(
      "/admin/queue",
      { decision: "approve", reason: "Nothing wrong", postId: [held[0]!.id, held[1]!.id] },
      { cookie: moderator.cookie },
    );
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain("2 posts approved.");
    const removed = await postForm(
      "/admin/queue",
      { decision: "remove", reason: "Spam", postId: held[2]!.id },
      { cookie: moderator.cookie },
    );
    expect(await removed.text()).toContain("1 post removed.");
    const states = await Promise.all(
      held.map(async (post) => (await ctx.db.query.posts.findFirst({ where: eq(posts.id, post.id) }))!.moderationState),
    );
    expect(states).toEqual([null, null, "removed"]);
    expect((await auditOf(held[0]!.id)).map((entry) => entry.action)).toEqual(["approve_post"]);
    expect((await auditOf(held[2]!.id)).map((entry) => entry.action)).toEqual(["remove_post"]);
    // The form sent again decides nothing twice.
    const again = await postForm("/admin/queue", { decision: "remove", reason: "Spam", postId: held[2]!.id }, { cookie: moderator.cookie });
    expect(await again.text()).toContain("0 posts removed.");
  });
});

describe("automatic decisions on the admin pages", () => {
  it("show each decision's input hash, short with the whole behind a disclosure, in the queue and beside reports", async () => {
    const moderator = await signedIn("moderator");
    const reporter = await makeUser(ctx, { username: "adminsite_hash_reporter" });
    const author = await makeUser(ctx, { username: "adminsite_hash_author" });
    const held = await makePost(ctx, author, { text: "Held with a hash" });
    const reported = await makePost(ctx, author, { text: "Reported with a hash" });
    await ctx.db.update(posts).set({ moderationState: "held" }).where(eq(posts.id, held.id));
    const hashes = { [held.id]: "a1b2c3d4e5f6".repeat(5) + "0718", [reported.id]: "f0e1d2c3b4a5".repeat(5) + "9687" };
    for (const post of [held, reported]) {
      await ctx.db.insert(moderationDecisions).values({
        subjectKind: "post",
        subjectId: post.id,
        accountId: author.id,
        eventId: newId(),
        classifier: "rules",
        model: null,
        inputHash: hashes[post.id]!,
        scores: {},
        outcome: "allow",
        reason: "No local rule matched.",
        createdAt: new Date(),
      });
    }
    const report = await fileReport(ctx, reporter.id, { targetAccountId: author.id, category: "spam", postIds: [reported.id] });
    const pages = [
      ["/admin/queue", held.id],
      [`/admin/reports/${report.id}`, reported.id],
    ] as const;
    for (const [path, postId] of pages) {
      const html = (await getPage(path, moderator.cookie)).html;
      const hash = hashes[postId]!;
      expect([path, html]).toEqual([path, expect.stringContaining(`<code>${hash.slice(0, 12)}…</code>`)]);
      expect(html).toContain(`<code class="break-all">${hash}</code>`);
      expect(html).toMatch(/<details[^>]*><summary[^>]*>Input hash/);
    }
  });
});

describe("/admin/audit", () => {
  it("filters by moderator, action, target and day; a malformed day is shown beside its field", async () => {
    const moderator = await signedIn("moderator");
    const other = await signedIn("moderator");
    const target = await makeUser(ctx, { username: "adminsite_audit_target" });
    const report = await fileReport(ctx, target.id === moderator.user.id ? other.user.id : moderator.user.id, {
      targetAccountId: target.id,
    });
    await postForm("/admin/reports", { intent: "assign", reportId: report.id }, { cookie: moderator.cookie });
    await postForm(`/admin/reports/${report.id}`, { intent: "note", note: "Unique audit note" }, { cookie: other.cookie });

    const byMe = (await getPage(`/admin/audit?moderator=${moderator.user.username}`, moderator.cookie)).html;
    expect(byMe).toContain("assign_report");
    expect(byMe).not.toContain("Unique audit note");
    const notes = (await getPage(`/admin/audit?action=note_report&target=${report.id}`, moderator.cookie)).html;
    expect(notes).toContain("Unique audit note");
    expect(notes).not.toContain("Took the report");
    const today = new Date().toISOString().slice(0, 10);
    expect((await getPage(`/admin/audit?target=${report.id}&from=${today}&to=${today}`, moderator.cookie)).html).toContain(
      "Took the report",
    );
    expect((await getPage(`/admin/audit?target=${report.id}&to=2000-01-01`, moderator.cookie)).html).toContain("No entries match.");
    const bad = await getPage("/admin/audit?from=yesterday", moderator.cookie);
    expect(bad.response.status).toBe(200);
    expect(bad.html).toContain("Give a date as YYYY-MM-DD");
  });

  it("is append-only: the database refuses to change or delete an entry, and a moderator who deletes their account stays named by id", async () => {
    const moderator = await signedIn("moderator");
    const target = await makeUser(ctx, { username: "adminsite_append_target" });
    const report = await fileReport(ctx, target.id, { targetAccountId: moderator.user.id });
    await postForm("/admin/reports", { intent: "assign", reportId: report.id }, { cookie: moderator.cookie });
    const [entry] = await auditOf(report.id);
    expect(entry).toMatchObject({ action: "assign_report", moderatorId: moderator.user.id });

    // Drizzle wraps D1's error; the trigger's words are in its cause.
    const refusal = (query: Promise<unknown>) =>
      query.then(
        () => "accepted",
        (error: Error) => String(error.cause),
      );
    expect(await refusal(ctx.db.update(auditLog).set({ reason: "rewritten" }).where(eq(auditLog.id, entry!.id)))).toMatch(/append-only/);
    expect(await refusal(ctx.db.delete(auditLog).where(eq(auditLog.id, entry!.id)))).toMatch(/append-only/);

    await deleteAccount(ctx, moderator.user, { password: PASSWORD }, { ip: "192.0.2.99", userAgent: "test" });
    expect(await auditOf(report.id)).toEqual([entry]);
    const admin = await signedIn("admin");
    expect((await getPage(`/admin/audit?target=${report.id}`, admin.cookie)).html).toContain(`a deleted account (${moderator.user.id})`);
  });
});

describe("custom emoji", () => {
  it("an admin uploads one; apps list it, statuses carry it, pages draw it; disabled, it goes from all three", async () => {
    const admin = await signedIn("admin");
    const upload = async (shortcode: string, bytes: Uint8Array, type = "image/png") => {
      const form = new FormData();
      form.set("intent", "add");
      form.set("shortcode", shortcode);
      form.set("image", new File([bytes as Uint8Array<ArrayBuffer>], "emoji.png", { type }));
      return postForm("/admin/emoji", form, { cookie: admin.cookie });
    };
    const png = await identiconPng("blobperch", 64);
    expect((await upload("blob_perch", png)).status).toBe(200);
    expect((await upload("blob_perch", png)).status).toBe(409);
    const badName = await upload("no spaces!", png);
    expect(badName.status).toBe(422);
    expect(await badName.text()).toContain("A shortcode is 2 to 30 letters, digits or underscores");
    expect((await upload("not_an_image", new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'></svg>"))).status).toBe(415);
    expect((await upload("too_big", new Uint8Array(300 * 1024).fill(1))).status).toBe(413);

    const listed = (await callApi("/api/v1/custom_emojis", null)).body as { shortcode: string; url: string; static_url: string }[];
    expect(listed).toEqual([
      expect.objectContaining({
        shortcode: "blob_perch",
        url: expect.stringMatching(/\/media\/emoji\/[0-9a-f]{64}\.png$/),
        visible_in_picker: true,
      }),
    ]);
    const image = await fetchWorker(new URL(listed[0]!.url).pathname);
    expect([image.status, image.headers.get("Content-Type")]).toEqual([200, "image/png"]);
    await image.arrayBuffer();

    const author = await makeUser(ctx, { username: "adminsite_emoji_author" });
    const post = await makePost(ctx, author, { text: "Hello :blob_perch: and :unknown_one:" });
    const status = (await callApi(`/api/v1/statuses/${post.id}`, null)).body;
    expect(status.emojis).toEqual([expect.objectContaining({ shortcode: "blob_perch", url: listed[0]!.url })]);
    const page = (await getPage(`/${author.username}/status/${post.id}`)).html;
    expect(page).toMatch(/<img[^>]+src="\/media\/emoji\/[0-9a-f]{64}\.png"[^>]+alt=":blob_perch:"|<img[^>]+alt=":blob_perch:"/);
    expect(page).toContain(":unknown_one:");

    const [row] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "add_emoji"), eq(auditLog.targetId, "blob_perch")));
    expect(row).toMatchObject({ moderatorId: admin.user.id });
    const id = (await ctx.db.query.customEmojis.findFirst())!.id;
    expect((await postForm("/admin/emoji", { intent: "disable", id }, { cookie: admin.cookie })).status).toBe(200);
    expect((await callApi("/api/v1/custom_emojis", null)).body).toEqual([]);
    expect((await callApi(`/api/v1/statuses/${post.id}`, null)).body.emojis).toEqual([]);
    expect((await getPage(`/${author.username}/status/${post.id}`)).html).not.toContain('alt=":blob_perch:"');
    expect((await postForm("/admin/emoji", { intent: "delete", id }, { cookie: admin.cookie })).status).toBe(200);
    const gone = await fetchWorker(new URL(listed[0]!.url).pathname);
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
    expect((await auditOf(id)).map((entry) => entry.action)).toEqual(["disable_emoji", "delete_emoji"]);
  });
});

describe("the dashboard", () => {
  it("shows 30 days of figures as described charts and a table, with the queues' sizes; a visit counts as active", async () => {
    const moderator = await signedIn("moderator");
    await getPage("/", moderator.cookie);
    const today = Math.floor(Date.now() / 86_400_000);
    expect(
      await ctx.db
        .select()
        .from(activeDays)
        .where(and(eq(activeDays.userId, moderator.user.id), eq(activeDays.day, today))),
    ).toHaveLength(1);
    const author = await makeUser(ctx, { username: "adminsite_dash_author" });
    const held = await makePost(ctx, author, { text: "Held for the dashboard" });
    await ctx.db.update(posts).set({ moderationState: "held" }).where(eq(posts.id, held.id));

    // The hourly samples keep each day's highest: a post held at one sample and decided by the next still counts.
    const yesterday = Date.now() - 86_400_000;
    const peak = (await sampleQueues(ctx, yesterday)).held;
    expect(peak).toBeGreaterThanOrEqual(1);
    await ctx.db.update(posts).set({ moderationState: null }).where(eq(posts.id, held.id));
    expect((await sampleQueues(ctx, yesterday)).held).toBe(peak - 1);
    const figures = await dashboard(asUser(moderator.user), 30);
    expect(figures.days.at(-2)!.held).toBe(peak);
    // Today has no sample yet: its bar is what waits now.
    expect(figures.days.at(-1)!.held).toBe(figures.held);
    expect(figures.held).toBe(peak - 1);
    await ctx.db.update(posts).set({ moderationState: "held" }).where(eq(posts.id, held.id));

    const { html } = await getPage("/admin", moderator.cookie);
    expect(html.match(/role="img"/g)).toHaveLength(5);
    expect(html).toMatch(/<desc[^>]*>Held for review: highest \d+ on \d{4}-\d{2}-\d{2}, \d+ on /);
    expect(html).toMatch(/<desc[^>]*>Sign-ups: \d+ over 30 days/);
    expect(html).toContain("The figures as a table");
    expect(html.match(/<tr>/g)!.length).toBeGreaterThanOrEqual(31);
    expect(html).toMatch(/Held for review<\/a><\/dt><dd[^>]*>[1-9]\d*</);
    expect(html).toMatch(/Active today<\/dt><dd[^>]*>[1-9]\d*</);
    expect(html).toContain("Events waiting for a queue");
  });
});
