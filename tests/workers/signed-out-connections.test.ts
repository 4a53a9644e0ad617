import { describe, expect, it } from "vitest";
import { makeUser } from "#db/seed/factories.ts";
import { personalAccessTokens, revokePersonalAccessToken } from "#domain/clients/tokens.ts";
import { follow } from "#domain/graph/follows.ts";
import { openDirect } from "#domain/messages/conversations.ts";
import { sha256Hex } from "#workers/platform/crypto.ts";
import { deliverEvents, logInAs, openSocket, ORIGIN, postForm, testDomain, tokenFor } from "./support.ts";

/**
 * A live connection lasts only as long as the session or token it was opened with (ADR 0056): whoever signs out a
 * device, revokes a token or changes their password cuts off what was listening with it, and nothing else.
 */
const ctx = testDomain();
const PASSWORD = "a long enough password";
let count = 0;
const person = () => makeUser(ctx, { username: `signedout${(count += 1)}`, password: PASSWORD, emailVerified: true });

const pageSocket = (path: string, cookie: string) => openSocket(path, { Cookie: cookie, Origin: ORIGIN });

/** Whether a socket is still open once the events so far have been handled (its close arrives after that). */
async function stillOpen(socket: WebSocket) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return socket.readyState === WebSocket.OPEN;
}

describe("connections opened with a credential that ended", () => {
  it("close when that device is signed out from /settings/security; this device's stay", async () => {
    const [owner, friend] = [await person(), await person()];
    await follow(ctx, friend.id, owner.id);
    const conversation = await openDirect(ctx, owner.id, friend.id);
    const here = await logInAs(owner, PASSWORD, "192.0.2.201");
    const stolen = await logInAs(owner, PASSWORD, "192.0.2.202");
    const stolenStream = await pageSocket("/api/v1/streaming?stream=user", stolen);
    const stolenRoom = await pageSocket(`/api/v1/perch/chats/${conversation.id}/stream`, stolen);
    const ownStream = await pageSocket("/api/v1/streaming?stream=user", here);

    const answer = await postForm("/settings/security", { intent: "revoke-other-sessions" }, { cookie: here });
    expect(await answer.text()).toContain("Signed out 1 other device.");
    expect(await stolenStream.closed).toBe(4401);
    expect(await stolenRoom.closed).toBe(4401);
    expect(await stillOpen(ownStream.socket)).toBe(true);
    ownStream.socket.close(1000, "test over");
  });

  it("close when their session signs out", async () => {
    const owner = await person();
    const cookie = await logInAs(owner, PASSWORD, "192.0.2.203");
    const stream = await pageSocket("/api/v1/streaming?stream=user", cookie);
    expect((await postForm("/logout", {}, { cookie })).status).toBe(302);
    expect(await stream.closed).toBe(4401);
  });

  it("close when their token is revoked, and those of the account's other tokens stay", async () => {
    const owner = await person();
    const [revoked, kept] = [await tokenFor(owner.id, ["read"]), await tokenFor(owner.id, ["read"])];
    const ended = await openSocket(`/api/v1/streaming?stream=user&access_token=${revoked}`);
    const staying = await openSocket(`/api/v1/streaming?stream=user&access_token=${kept}`);
    const tokenHash = await sha256Hex(revoked);
    const row = (await personalAccessTokens(ctx, owner.id)).find((token) => token.tokenHash === tokenHash);
    await revokePersonalAccessToken(ctx, owner.id, row!.id);
    await deliverEvents();
    expect(await ended.closed).toBe(4401);
    expect(await stillOpen(staying.socket)).toBe(true);
    staying.socket.close(1000, "test over");
  });
});
