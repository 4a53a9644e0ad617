import { describe, expect, it } from "vitest";
import { countCharacters, extractEntities, parseRichText, tokenizeLine } from "#domain/rich-text.ts";

describe("rich text", () => {
  it("finds mentions, hashtags and links between plain text", () => {
    expect(tokenizeLine("Hi @alice, see #Perch at https://perch.example/x.")).toEqual([
      { type: "text", text: "Hi " },
      { type: "mention", username: "alice", text: "@alice" },
      { type: "text", text: ", see " },
      { type: "hashtag", tag: "Perch", text: "#Perch" },
      { type: "text", text: " at " },
      { type: "link", url: "https://perch.example/x", text: "https://perch.example/x" },
      { type: "text", text: "." },
    ]);
  });

  it.each([
    ["mail me at bob@example.com", []],
    ["@bob@remote.example is on another server", []],
    ["@a_very_long_username_that_is_over_thirty", []],
    ["(@carol)", ["carol"]],
  ])("only treats local @names as mentions: %s", (text, usernames) => {
    expect(extractEntities(text).usernames).toEqual(usernames);
  });

  it.each([
    ["#café and #日本語 and #tag_2", ["café", "日本語", "tag_2"]],
    ["#123 is a number, not a tag", []],
    ["page#anchor and &#39; are not tags", []],
    ["#Perch #perch #PERCH", ["Perch"]],
  ])("finds hashtags (unicode, deduplicated without regard to case): %s", (text, hashtags) => {
    expect(extractEntities(text).hashtags).toEqual(hashtags);
  });

  it("keeps balanced parentheses in links and drops an unmatched closing one", () => {
    const links = (text: string) =>
      tokenizeLine(text)
        .filter((token) => token.type === "link")
        .map((token) => token.text);
    expect(links("(see https://en.wikipedia.org/wiki/Perch_(fish))")).toEqual(["https://en.wikipedia.org/wiki/Perch_(fish)"]);
    expect(links("(https://example.com/a)")).toEqual(["https://example.com/a"]);
    expect(links("javascript:alert(1) is not a link")).toEqual([]);
  });

  it("splits paragraphs on blank lines and lines on single newlines", () => {
    const content = parseRichText("first line\nsecond line\n\n\nnext paragraph");
    expect(content).toHaveLength(2);
    expect(content[0]).toHaveLength(2);
    expect(content[1]).toEqual([[{ type: "text", text: "next paragraph" }]]);
  });

  it("counts characters as Mastodon does: code points, with every link as 23", () => {
    expect(countCharacters("héllo 👋")).toBe(7);
    expect(countCharacters(`read https://example.com/${"x".repeat(200)}`)).toBe(5 + 23);
  });
});
