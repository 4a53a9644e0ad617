import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { favourite } from "#domain/posts/engagement.ts";
import { deliverEvents, fetchWorker, getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `belled${count}`, password: "a long enough password", displayName: `Belled ${count}` });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${150 + count}` }),
  );
  return { user, cookie };
}

let fanCount = 0;
async function fans(n: number) {
  const made = [];
  for (let i = 0; i < n; i += 1) made.push(await makeUser(ctx, { username: `fan${(fanCount += 1)}`, displayName: `Fan ${i}` }));
  return made;
}

describe("the /notifications page", () => {
  it("groups likes, shows mentions whole, badges the nav with the unread count and clears it when opened", async () => {
    const { user, cookie } = await signedIn();
    const post = await makePost(ctx, user, { text: "Grouped likes, please" });
    for (const fan of await fans(3)) await favourite(ctx, fan.id, post.id);
    const [mentioner] = await fans(1);
    await makePost(ctx, mentioner!, { text: `Hello @${user.username}, this is a mention` });
    await deliverEvents();

    const home = await getPage("/", cookie);
    expect(home.html).toMatch(/data-unread-badge[^>]*>4<span class="sr-only"> unread<\/span>/);

    const { response, html } = await getPage("/notifications", cookie);
    expect(response.status).toBe(200);
    expect(html).toContain("Fan 2</a> and 2 others<!-- --> <!-- -->liked your post");
    expect(html).toContain("Grouped likes, please");
    expect(html).toContain("this is a mention");
    expect(html).toContain('aria-current="page"');
    expect((await getPage("/", cookie)).html).not.toContain("data-unread-badge");

    const mentions = await getPage("/notifications?tab=mentions", cookie);
    expect(mentions.html).toContain("this is a mention");
    expect(mentions.html).not.toContain("liked your post");
  });

  it("pages to older notifications with a plain link, and sends visitors to log in", async () => {
    const { user, cookie } = await signedIn();
    for (let i = 0; i < 3; i += 1) {
      const post = await makePost(ctx, user, { text: `Post number ${i}` });
      const [fan] = await fans(1);
      await favourite(ctx, fan!.id, post.id);
    }
    await deliverEvents();
    const first = await getPage("/notifications?limit=2", cookie);
    expect(first.html).toContain("Post number 2");
    expect(first.html).not.toContain("Post number 0");
    const older = /href="(\/notifications\?max_id=\d+&amp;limit=2)"/.exec(first.html)![1]!.replaceAll("&amp;", "&");
    const second = await getPage(older, cookie);
    expect(second.html).toContain("Post number 0");

    const visitor = await fetchWorker("/notifications");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toContain("/login");
  });
});
