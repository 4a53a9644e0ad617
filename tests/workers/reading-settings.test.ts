import { describe, expect, it } from "vitest";
import { makePictureRow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();

/** A post with one picture (the row only: the page links to the file, it does not read it). */
async function postWithPicture(author: User, text: string, sensitive: boolean) {
  return makePost(ctx, author, { text, mediaIds: [await makePictureRow(ctx, author, `${text} picture`)], sensitive });
}

describe("/settings/reading", () => {
  it("covers sensitive media by default, none with show_all and all with hide_all, on pages and in the API's preferences", async () => {
    const reader = await makeUser(ctx, { username: "reading_reader", password: "a long enough password" });
    const author = await makeUser(ctx, { username: "reading_author" });
    await postWithPicture(author, "Gentle", false);
    await postWithPicture(author, "Graphic", true);
    const cookie = sessionOf(
      await postForm("/login", { identifier: reader.username, password: "a long enough password" }, { ip: "192.0.2.91" }),
    );
    const token = await tokenFor(reader.id, ["read"]);
    const covers = async () => {
      const { html } = await getPage(`/${author.username}`, cookie);
      return { sensitive: html.split("Sensitive media: show").length - 1, other: html.split("Media: show").length - 1 };
    };
    const preference = async () => (await callApi("/api/v1/preferences", token)).body["reading:expand:media"];

    expect(await covers()).toEqual({ sensitive: 1, other: 0 });
    expect(await preference()).toBe("default");

    expect((await postForm("/settings/reading", { mediaDisplay: "show_all" }, { cookie })).status).toBe(200);
    expect(await covers()).toEqual({ sensitive: 0, other: 0 });
    expect(await preference()).toBe("show_all");

    expect((await postForm("/settings/reading", { mediaDisplay: "hide_all" }, { cookie })).status).toBe(200);
    expect(await covers()).toEqual({ sensitive: 1, other: 1 });
    expect(await preference()).toBe("hide_all");
    const settingsHtml = (await getPage("/settings/reading", cookie)).html;
    expect(settingsHtml).toMatch(/<input(?=[^>]*value="hide_all")[^>]*checked=""/);

    const refused = await postForm("/settings/reading", { mediaDisplay: "sometimes" }, { cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Choose how to show sensitive media");
    expect(await preference()).toBe("hide_all");
  });
});
