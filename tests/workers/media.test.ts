import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { identiconPng } from "#db/seed/artwork.ts";
import { storeMedia } from "#domain/media/storage.ts";
import { parseByteRange } from "#workers/media/byte-range.ts";
import { fetchWorker, testDomain } from "./support.ts";

let key: string;
let bytes: Uint8Array;

beforeAll(async () => {
  bytes = await identiconPng("media-test", 128);
  key = await storeMedia(testDomain(), { prefix: "avatars", bytes, extension: "png", contentType: "image/png" });
});

describe("the media door", () => {
  it("stores bytes under their SHA-256 and serves them with their type, an ETag and a year of immutable caching", async () => {
    expect(key).toMatch(/^avatars\/[0-9a-f]{64}\.png$/);
    const response = await fetchWorker(`/media/${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/png");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("ETag")).toMatch(/^".+"$/);
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it("answers a matching If-None-Match with 304", async () => {
    const etag = (await fetchWorker(`/media/${key}`)).headers.get("ETag")!;
    const response = await fetchWorker(`/media/${key}`, { headers: { "If-None-Match": etag } });
    expect(response.status).toBe(304);
  });

  it("serves byte ranges, including suffix ranges, with Content-Range", async () => {
    const first = await fetchWorker(`/media/${key}`, { headers: { Range: "bytes=0-7" } });
    expect(first.status).toBe(206);
    expect(first.headers.get("Content-Range")).toBe(`bytes 0-7/${bytes.length}`);
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(bytes.slice(0, 8));

    const last = await fetchWorker(`/media/${key}`, { headers: { Range: "bytes=-4" } });
    expect(last.status).toBe(206);
    expect(last.headers.get("Content-Range")).toBe(`bytes ${bytes.length - 4}-${bytes.length - 1}/${bytes.length}`);
    expect(new Uint8Array(await last.arrayBuffer())).toEqual(bytes.slice(-4));
  });

  it("answers an unsatisfiable range with 416", async () => {
    const response = await fetchWorker(`/media/${key}`, { headers: { Range: `bytes=${bytes.length + 10}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get("Content-Range")).toBe(`bytes */${bytes.length}`);
  });

  it.each(["avatars/does-not-exist.png", "../secrets", "avatars//x.png", "UPPER/case.png"])("answers %s with 404", async (path) => {
    const response = await fetchWorker(`/media/${path}`);
    expect(response.status).toBe(404);
  });
});

describe("the Images binding, locally", () => {
  it("resizes and re-encodes an image to webp", async () => {
    const original = await env.IMAGES.info(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream());
    expect(original).toMatchObject({ format: "image/png", width: 128, height: 128 });
    const result = await env.IMAGES.input(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream())
      .transform({ width: 32 })
      .output({ format: "image/webp" });
    expect(result.contentType()).toBe("image/webp");
    const resized = await env.IMAGES.info(result.image());
    expect(resized).toMatchObject({ format: "image/webp", width: 32, height: 32 });
  });
});

describe("Range header parsing", () => {
  it.each([
    ["bytes=0-9", { offset: 0, length: 10 }],
    ["bytes=90-", { offset: 90, length: 10 }],
    ["bytes=95-200", { offset: 95, length: 5 }],
    ["bytes=-10", { offset: 90, length: 10 }],
    ["bytes=-500", { offset: 0, length: 100 }],
    ["bytes=100-", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=9-3", "unsatisfiable"],
    ["bytes=0-1,5-6", undefined],
    ["items=0-1", undefined],
    ["bytes=-", undefined],
  ])("%s of 100 bytes is %o", (header, expected) => {
    expect(parseByteRange(header, 100)).toEqual(expected);
  });
});
