import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { follow } from "#domain/graph/follows.ts";
import { getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();
let count = 0;

async function signedIn() {
  count += 1;
  const user = await makeUser(ctx, { username: `pager${count}`, password: "a long enough password", displayName: `Pager ${count}` });
  const cookie = sessionOf(
    await postForm("/login", { identifier: user.username, password: "a long enough password" }, { ip: `192.0.2.${200 + count}` }),
  );
  return { user, cookie };
}

describe("the /messages pages, without JavaScript", () => {
  it("start a conversation from a profile, send with a plain form, show it escaped, badge and list it for the other", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const started = await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie });
    expect(started.status).toBe(302);
    const path = started.headers.get("Location")!;
    expect(path).toMatch(/^\/messages\/\d+$/);
    const sent = await postForm(
      path,
      { intent: "send", clientId: "page-1", text: "<script>alert(1)</script> hi Ben" },
      { cookie: ana.cookie },
    );
    expect(sent.status).toBe(302);
    // The same form sent twice (a double submit) stores one message.
    await postForm(path, { intent: "send", clientId: "page-1", text: "<script>alert(1)</script> hi Ben" }, { cookie: ana.cookie });

    const home = await getPage("/", ben.cookie);
    expect(home.html).toMatch(/href="\/messages"[^]*?data-unread-badge[^>]*>1<span class="sr-only"> unread<\/span>/);
    const list = await getPage("/messages", ben.cookie);
    expect(list.html).toContain("Pager");
    const { response, html } = await getPage(path, ben.cookie);
    expect(response.status).toBe(200);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; hi Ben");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html.match(/hi Ben<\/p>/g)).toHaveLength(1);
    expect((await getPage("/messages", ben.cookie)).html).not.toContain("99+");
  });

  it("keep what was typed when a message is refused, and answer 404 to non-members", async () => {
    const ana = await signedIn();
    const ben = await signedIn();
    const eve = await signedIn();
    await follow(ctx, ben.user.id, ana.user.id);
    const path = (await postForm("/messages", { recipient: ben.user.id }, { cookie: ana.cookie })).headers.get("Location")!;
    const refused = await postForm(path, { intent: "send", clientId: "x", text: "   " }, { cookie: ana.cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("A message cannot be empty");
    expect((await getPage(path, eve.cookie)).response.status).toBe(404);
    expect((await postForm(path, { intent: "send", clientId: "y", text: "let me in" }, { cookie: eve.cookie })).status).toBe(404);
  });
});
