import { beforeAll, describe, expect, it } from "vitest";
import { makeFollow, makePost, makeUser } from "#db/seed/factories.ts";
import type { User } from "#domain/accounts/users.ts";
import { block, mute } from "#domain/graph/blocks.ts";
import { acceptFriendship, requestFriendship } from "#domain/graph/friends.ts";
import type { Post, Visibility } from "#domain/posts/posts.ts";
import { updatePrivacy } from "#domain/profiles/settings.ts";
import { callApi, getPage, postForm, sessionOf, testDomain, tokenFor } from "./support.ts";

const ctx = testDomain();
const PASSWORD = "a long enough password";
const visibilities: Visibility[] = ["public", "unlisted", "private", "friends", "direct"];
type Viewer = "author" | "anonymous" | "stranger" | "follower" | "friend" | "mentioned" | "blocked" | "blocking";

/** Who may see which post: the rule, as a table. */
const expected: Record<Viewer, Visibility[]> = {
  author: ["public", "unlisted", "private", "friends", "direct"],
  anonymous: ["public", "unlisted"],
  stranger: ["public", "unlisted"],
  follower: ["public", "unlisted", "private"],
  friend: ["public", "unlisted", "friends"],
  mentioned: ["public", "unlisted", "private", "friends", "direct"],
  blocked: [],
  blocking: [],
};

let author: User;
const viewers = new Map<Viewer, { user: User; token: string; cookie: string }>();
const postsByVisibility = new Map<Visibility, Post>();

beforeAll(async () => {
  author = await makeUser(ctx, { username: "vis_author", password: PASSWORD });
  let ip = 0;
  for (const name of ["author", "stranger", "follower", "friend", "mentioned", "blocked", "blocking"] as const) {
    const user = name === "author" ? author : await makeUser(ctx, { username: `vis_${name}`, password: PASSWORD });
    ip += 1;
    const cookie = sessionOf(await postForm("/login", { identifier: user.username, password: PASSWORD }, { ip: `192.0.2.${100 + ip}` }));
    viewers.set(name, { user, token: await tokenFor(user.id), cookie });
  }
  await makeFollow(ctx, viewers.get("follower")!.user, author);
  await requestFriendship(ctx, viewers.get("friend")!.user.id, author.id);
  await acceptFriendship(ctx, author.id, viewers.get("friend")!.user.id);
  for (const visibility of visibilities) {
    postsByVisibility.set(visibility, await makePost(ctx, author, { text: `A ${visibility} post for @vis_mentioned`, visibility }));
  }
  await block(ctx, author.id, viewers.get("blocked")!.user.id);
  await block(ctx, viewers.get("blocking")!.user.id, author.id);
});

const cases = (Object.keys(expected) as Viewer[]).flatMap((viewer) => visibilities.map((visibility) => [viewer, visibility] as const));

describe("who sees a post (viewer × visibility), on the API and on the post page", () => {
  it.each(cases)("%s / %s", async (viewer, visibility) => {
    const post = postsByVisibility.get(visibility)!;
    const identity = viewers.get(viewer);
    const visible = expected[viewer].includes(visibility);
    const api = await callApi(`/api/v1/statuses/${post.id}`, identity?.token ?? null);
    expect(api.response.status).toBe(visible ? 200 : 404);
    if (visible) {
      // Mastodon's field keeps to Mastodon's values; Perch's own is beside it (ADR 0019).
      expect(api.body.visibility).toBe(visibility === "friends" ? "private" : visibility);
      expect(api.body.perch).toEqual({ visibility });
    } else expect(api.body).toEqual({ error: "Record not found" });
    const page = await getPage(`/vis_author/status/${post.id}`, identity?.cookie);
    expect(page.response.status).toBe(visible ? 200 : 404);
  });

  it("lists on the author's profile and in their API statuses only what each viewer may see", async () => {
    for (const viewer of ["anonymous", "follower", "friend", "blocking"] as const) {
      const identity = viewers.get(viewer as Viewer);
      const listed = await callApi(`/api/v1/accounts/${author.id}/statuses`, identity?.token ?? null);
      const seen =
        viewer === "blocking"
          ? []
          : (listed.body as { perch: { visibility: Visibility } }[]).map((status) => status.perch.visibility).sort();
      const allowed = expected[viewer].filter((visibility) => visibility !== "direct").sort();
      expect(seen, viewer).toEqual(allowed);
    }
  });
});

describe("threads", () => {
  it("show ancestors and descendants, leaving out replies the viewer may not see", async () => {
    const root = await makePost(ctx, author, { text: "Thread root" });
    const replier = viewers.get("stranger")!.user;
    const first = await makePost(ctx, replier, { text: "First reply", inReplyToId: root.id });
    const nested = await makePost(ctx, author, { text: "Nested reply", inReplyToId: first.id });
    const secret = await makePost(ctx, author, { text: "Followers-only reply", inReplyToId: root.id, visibility: "private" });
    await makePost(ctx, viewers.get("follower")!.user, { text: "Reply under the hidden one", inReplyToId: secret.id });
    await expect(makePost(ctx, replier, { text: "Cannot reply to what I cannot see", inReplyToId: secret.id })).rejects.toMatchObject({
      kind: "not_found",
    });

    const asStranger = await callApi(`/api/v1/statuses/${first.id}/context`, viewers.get("stranger")!.token);
    expect(asStranger.body.ancestors.map((status: { id: string }) => status.id)).toEqual([root.id]);
    expect(asStranger.body.descendants.map((status: { id: string }) => status.id)).toEqual([nested.id]);

    const rootAsStranger = await callApi(`/api/v1/statuses/${root.id}/context`, viewers.get("stranger")!.token);
    expect(rootAsStranger.body.descendants.map((status: { id: string }) => status.id)).toEqual([first.id, nested.id]);
    const rootAsFollower = await callApi(`/api/v1/statuses/${root.id}/context`, viewers.get("follower")!.token);
    expect(rootAsFollower.body.descendants).toHaveLength(4);

    const page = await getPage(`/vis_stranger/status/${first.id}`);
    expect(page.html).toContain("Thread root");
    expect(page.html).toContain("Nested reply");
    expect(page.html).not.toContain("Followers-only reply");
    const wrongName = await getPage(`/vis_stranger/status/${root.id}`);
    expect(wrongName.response.headers.get("Location")).toBe(`/vis_author/status/${root.id}`);
  });
});

describe("the public timeline for a viewer", () => {
  it("leaves out blocked and muted authors, and authors whose profile the viewer may not see", async () => {
    const reader = await makeUser(ctx, { username: "timeline_reader" });
    const muted = await makeUser(ctx, { username: "timeline_muted" });
    const closed = await makeUser(ctx, { username: "timeline_closed" });
    await makePost(ctx, muted, { text: "from a muted account" });
    await makePost(ctx, closed, { text: "from a followers-only profile" });
    await mute(ctx, reader.id, muted.id);
    await updatePrivacy(ctx, closed.id, { profileVisibility: "followers" });
    const token = await tokenFor(reader.id);
    const contents = (body: { content: string }[]) => body.map((status) => status.content).join("\n");
    const forReader = contents((await callApi("/api/v1/timelines/public?limit=40", token)).body);
    expect(forReader).not.toContain("from a muted account");
    expect(forReader).not.toContain("from a followers-only profile");
    const anonymous = contents((await callApi("/api/v1/timelines/public?limit=40", null)).body);
    expect(anonymous).toContain("from a muted account");
    expect(anonymous).not.toContain("from a followers-only profile");
    const authorsSeenByBlocked = (await callApi("/api/v1/timelines/public?limit=40", viewers.get("blocked")!.token)).body.map(
      (status: { account: { username: string } }) => status.account.username,
    );
    expect(authorsSeenByBlocked).not.toContain("vis_author");
    const authorsSeenByStranger = (await callApi("/api/v1/timelines/public?limit=40", viewers.get("stranger")!.token)).body.map(
      (status: { account: { username: string } }) => status.account.username,
    );
    expect(authorsSeenByStranger).toContain("vis_author");
  });
});
