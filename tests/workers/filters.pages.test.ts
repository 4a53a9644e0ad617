import { describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import { filtersOf } from "#domain/filters/filters.ts";
import { deliverEvents, getPage, postForm, sessionOf, testDomain } from "./support.ts";

const ctx = testDomain();

describe("/settings/filters", () => {
  it("makes, edits and deletes a filter without JavaScript; a warned post shows behind a Filtered notice; a refused form keeps what was typed", async () => {
    const reader = await makeUser(ctx, { username: "filter_page_reader", password: "a long enough password" });
    const author = await makeUser(ctx, { username: "filter_page_author" });
    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.77" }),
    );
    await makeFollow(ctx, reader, author);
    await makePost(ctx, author, { text: "Season finale spoilers ahead" });
    await deliverEvents();

    const refused = await postForm(
      "/settings/filters",
      { intent: "create", title: "", keywords: "spoilers", contexts: "home" },
      { cookie },
    );
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("spoilers</textarea>");

    const saved = await postForm(
      "/settings/filters",
      {
        intent: "create",
        title: "TV",
        keywords: "spoilers, finale",
        wholeWord: "on",
        contexts: ["home", "thread"],
        action: "warn",
        expiresIn: "",
      },
      { cookie },
    );
    expect(saved.status).toBe(200);
    const [filter] = await filtersOf(ctx, reader.id);
    expect(filter).toMatchObject({ title: "TV", contexts: ["home", "thread"], action: "warn", expiresAt: null });
    expect(filter!.keywords.map((k) => [k.keyword, k.wholeWord])).toEqual([
      ["spoilers", true],
      ["finale", true],
    ]);

    const settings = await getPage("/settings/filters", cookie);
    expect(settings.html).toContain("spoilers, finale");
    const home = await getPage("/", cookie);
    expect(home.html).toContain("Filtered: TV");
    expect(home.html).toContain("Show anyway");

    const editPage = await getPage(`/settings/filters?edit=${filter!.id}`, cookie);
    expect(editPage.html).toContain("Edit “TV”");
    expect(editPage.html).toContain("spoilers\nfinale</textarea>");
    expect(editPage.html).toContain('<option value="keep" selected="">As it is now</option>');
    const finaleId = filter!.keywords.find((k) => k.keyword === "finale")!.id;
    const updated = await postForm(
      "/settings/filters",
      {
        intent: "update",
        filterId: filter!.id,
        title: "Shows",
        keywords: "finale\ncliffhanger",
        contexts: ["home"],
        action: "hide",
        expiresIn: "keep",
      },
      { cookie },
    );
    expect(updated.status).toBe(200);
    const [changed] = await filtersOf(ctx, reader.id);
    expect(changed).toMatchObject({ id: filter!.id, title: "Shows", contexts: ["home"], action: "hide", expiresAt: null });
    expect(changed!.keywords.map((k) => [k.keyword, k.wholeWord])).toEqual([
      ["finale", false],
      ["cliffhanger", false],
    ]);
    expect(changed!.keywords[0]!.id, "a kept word keeps its id").toBe(finaleId);
    expect((await getPage("/", cookie)).html).not.toContain("Season finale spoilers ahead");
    const stranger = await makeUser(ctx, { username: "filter_page_stranger", password: "a long enough password" });
    const strangerCookie = sessionOf(
      await postForm("/login", { identifier: stranger.username, password: "a long enough password" }, { ip: "192.0.2.78" }),
    );
    expect((await getPage(`/settings/filters?edit=${filter!.id}`, strangerCookie)).response.status).toBe(404);

    const deleted = await postForm("/settings/filters", { intent: "delete", filterId: filter!.id }, { cookie });
    expect(deleted.status).toBe(200);
    expect(await filtersOf(ctx, reader.id)).toEqual([]);
    expect((await getPage("/", cookie)).html).toContain("Season finale spoilers ahead");
  });
});
