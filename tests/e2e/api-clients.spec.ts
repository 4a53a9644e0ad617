import { detector } from "megalodon";
import generator from "megalodon";
import { baseURL } from "../../playwright.config.ts";
import { expect, test } from "./fixtures.ts";

test.describe("Mastodon client libraries", () => {
  test("megalodon's detector recognises Perch as a Mastodon API server", async () => {
    expect(await detector(baseURL)).toBe("mastodon");
  });

  test("megalodon reads the instance and pages through the public timeline", async () => {
    const client = generator("mastodon", baseURL);
    const instance = await client.getInstance();
    expect(instance.data.uri).toBe(new URL(baseURL).host);
    const first = await client.getPublicTimeline({ limit: 5 });
    expect(first.data).toHaveLength(5);
    const older = await client.getPublicTimeline({ limit: 5, max_id: first.data.at(-1)!.id });
    expect(older.data).toHaveLength(5);
    expect(older.data[0]!.id < first.data.at(-1)!.id).toBe(true);
  });
});

test("the interactive API reference loads from our own origin, its script cached for a year", async ({ page }) => {
  const script = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith("/vendor/scalar-api-reference-"));
  await page.goto("/api/docs");
  expect((await script).headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  await expect(page.getByText("Perch API").first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("/api/v1/timelines/public").first()).toBeVisible();
});
