import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reportPosts, reports } from "#db/schema/index.ts";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { eventually, getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn(role: "user" | "moderator" = "user") {
  count += 1;
  const user = await makeUser(ctx, { username: `reporter${count}`, password: "a long enough password", role });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${40 + count}` }),
  );
  return { user, cookie };
}

/** A ticked checkbox for a post (React writes `checked` before `value`). */
const checkedBox = (postId: string) => new RegExp(`<input type="checkbox" name="postIds"[^>]*checked=""[^>]*value="${postId}"`);

describe("the report page", () => {
  it("is reached from a post's menu and the profile, and files a report without JavaScript", async () => {
    const { user, cookie } = await signedIn();
    const target = await makeUser(ctx, { username: "reported_author" });
    const post = await makePost(ctx, target, { text: "Buy cheap followers now" });

    const postPage = await getPage(`/${target.username}/status/${post.id}`, cookie);
    expect(postPage.html).toContain(`href="/${target.username}/report?post=${post.id}"`);
    expect((await getPage(`/${target.username}`, cookie)).html).toContain(`href="/${target.username}/report"`);

    const form = await getPage(`/${target.username}/report?post=${post.id}`, cookie);
    expect(form.response.status).toBe(200);
    expect(form.html).toContain("Report @reported_author");
    expect(form.html).toMatch(checkedBox(post.id));

    const tooLong = await postForm(
      `/${target.username}/report`,
      { category: "spam", comment: "x".repeat(1001), postIds: post.id },
      { cookie },
    );
    expect(tooLong.status).toBe(422);
    const kept = await tooLong.text();
    expect(kept).toContain("x".repeat(1001));
    expect(kept).toMatch(checkedBox(post.id));

    const sent = await postForm(
      `/${target.username}/report`,
      { category: "spam", comment: "Selling followers", postIds: post.id },
      { cookie },
    );
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/${target.username}`);
    const [stored] = await ctx.db.select().from(reports).where(eq(reports.reporterId, user.id));
    expect(stored).toMatchObject({ targetAccountId: target.id, category: "spam", comment: "Selling followers" });
    expect(await ctx.db.select().from(reportPosts).where(eq(reportPosts.reportId, stored!.id))).toHaveLength(1);
  });

  it("tells a moderator on /notifications, with a link to the report queue on /admin/reports", async () => {
    const moderator = await signedIn("moderator");
    const { cookie } = await signedIn();
    const target = await makeUser(ctx, { username: "reported_to_moderators" });
    await postForm(`/${target.username}/report`, { category: "spam", comment: "Spam" }, { cookie });
    await eventually(async () => {
      const page = await getPage("/notifications", moderator.cookie);
      expect(page.html).toContain("filed a report");
      expect(page.html).toContain('href="/admin/reports"');
    });
    expect((await getPage("/admin/reports", moderator.cookie)).html).toContain('id="reports-heading"');
  });

  it("asks visitors to log in and refuses reporting yourself", async () => {
    const { user, cookie } = await signedIn();
    const visitor = await getPage(`/${user.username}/report`);
    expect(visitor.response.status).toBe(302);
    expect(visitor.response.headers.get("Location")).toContain("/login");
    expect((await getPage(`/${user.username}/report`, cookie)).response.status).toBe(404);
    expect((await postForm(`/${user.username}/report`, { category: "spam" }, { cookie })).status).toBe(422);
  });
});
