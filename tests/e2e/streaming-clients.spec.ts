import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import type { Page } from "@playwright/test";
import { baseURL } from "../../playwright.config.ts";
import { expect, test } from "./fixtures.ts";

/** A token for a demo user, through the OAuth flow a Mastodon client uses (the browser signs in and authorizes). */
async function tokenOf(page: Page, username: string): Promise<string> {
  const rest = createRestAPIClient({ url: baseURL });
  const app = await rest.v1.apps.create({
    clientName: `masto ${username}`,
    redirectUris: "urn:ietf:wg:oauth:2.0:oob",
    scopes: "read write",
  });
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId!,
    redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
    scope: "read write",
  });
  await page.context().clearCookies();
  await page.goto(`/oauth/authorize?${query}`);
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("perch-demo-password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByRole("button", { name: "Authorize" }).click();
  const code = (await page.getByTestId("authorization-code").textContent())!;
  const token = await createOAuthAPIClient({ url: baseURL }).token.create({
    grantType: "authorization_code",
    clientId: app.clientId!,
    clientSecret: app.clientSecret!,
    redirectUri: "urn:ietf:wg:oauth:2.0:oob",
    code,
    scope: "read write",
  });
  return token.accessToken;
}

/** The next event of a subscription that passes the test, or a failure after the timeout. */
async function nextEvent(
  events: AsyncIterator<mastodon.streaming.Event>,
  wanted: (event: mastodon.streaming.Event) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const next = await Promise.race([events.next(), new Promise<undefined>((resolve) => setTimeout(resolve, deadline - Date.now()))]);
    if (!next || next.done) break;
    if (wanted(next.value)) return next.value;
  }
  throw new Error("The stream sent no such event in time");
}

test("masto's streaming client receives an update for a followed account's post and a notification for a like", async ({ page }) => {
  test.setTimeout(120_000);
  const brunoToken = await tokenOf(page, "bruno");
  const aliceToken = await tokenOf(page, "alice");
  const instance = await createRestAPIClient({ url: baseURL }).v2.instance.fetch();
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: brunoToken,
    implementation: WebSocket,
  });
  const subscription = streaming.user.subscribe();
  const events = subscription[Symbol.asyncIterator]();
  const bruno = createRestAPIClient({ url: baseURL, accessToken: brunoToken });
  const alice = createRestAPIClient({ url: baseURL, accessToken: aliceToken });
  try {
    // Subscribing is a message after the socket opens; a moment lets the hub record it before anything is posted.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const posted = await alice.v1.statuses.create({ status: "Hello, streaming masto" });
    const update = await nextEvent(events, (event) => event.event === "update" && event.payload.id === posted.id);
    expect(update.payload).toMatchObject({ content: expect.stringContaining("Hello, streaming masto") });

    const mine = await bruno.v1.statuses.create({ status: "Like this, Alice" });
    await alice.v1.statuses.$select(mine.id).favourite();
    const notification = await nextEvent(events, (event) => event.event === "notification" && event.payload.type === "favourite");
    expect(notification.payload).toMatchObject({ type: "favourite", account: { username: "alice" }, status: { id: mine.id } });
  } finally {
    subscription.unsubscribe();
    streaming.close();
  }
});
