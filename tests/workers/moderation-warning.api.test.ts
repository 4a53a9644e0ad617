import { describe, expect, it } from "vitest";
import { makePost, makeUser } from "#db/seed/factories.ts";
import { actingAs } from "#domain/context.ts";
import { appeal, moderate } from "#domain/moderation/actions.ts";
import { callApi, deliverEvents, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();

describe("moderation_warning notifications", () => {
  it("carry Mastodon's AccountWarning: the action, its reason, the post, and the appeal once made", async () => {
    const moderator = await makeUser(ctx, { username: "warning_moderator", role: "moderator" });
    const author = await makeUser(ctx, { username: "warning_author" });
    const post = await makePost(ctx, author, { text: "Crossing a line" });
    const action = await moderate(actingAs(ctx, moderator), {
      command: "remove_post",
      accountId: author.id,
      postId: post.id,
      reason: "Targets another member",
    });
    await deliverEvents();
    const token = await tokenFor(author.id, ["read"]);
    const [warning] = (await callApi("/api/v1/notifications?types[]=moderation_warning", token)).body;
    expect(warning.moderation_warning).toMatchObject({
      id: action!.id,
      action: "delete_statuses",
      text: "Targets another member",
      status_ids: [post.id],
      target_account: { id: author.id },
      appeal: null,
      perch: { kind: "remove_post" },
    });

    await appeal(ctx, author.id, action!.id, "It was a quote");
    const [appealed] = (await callApi("/api/v1/notifications?types[]=moderation_warning", token)).body;
    expect(appealed.moderation_warning.appeal).toEqual({ text: "It was a quote", state: "pending" });
    const single = await callApi(`/api/v1/notifications/${appealed.id}`, token);
    expect(single.body.moderation_warning.id).toBe(action!.id);
  });
});
