import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { localVectorIndex } from "#workers/vector/local-vector-index.ts";
import { recommendationsIndex } from "#workers/vector/select-index.ts";
import type { VectorIndex } from "#workers/vector/vector-index.ts";

/**
 * The behaviour every VectorIndex adapter must share. It runs here against the local Durable Object; pointed at a
 * real Vectorize index (cosine, 3 dimensions) it describes the same contract, allowing for Vectorize's
 * eventual consistency.
 */
function vectorIndexContract(name: string, freshIndex: () => VectorIndex) {
  describe(`VectorIndex contract: ${name}`, () => {
    const seed = async (index: VectorIndex) => {
      await index.upsert([
        { id: "north", values: [0, 1, 0], metadata: { kind: "post", lang: "en", likes: 10 } },
        { id: "north-east", values: [1, 1, 0], metadata: { kind: "post", lang: "fr", likes: 3 } },
        { id: "east", values: [1, 0, 0], metadata: { kind: "user", lang: "en", likes: 0 } },
        { id: "south", values: [0, -1, 0], metadata: { kind: "post", lang: "en", likes: 7 } },
      ]);
      return index;
    };

    it("returns the topK nearest by cosine similarity, best first, with scores", async () => {
      const index = await seed(freshIndex());
      const matches = await index.query([0, 1, 0], { topK: 3 });
      expect(matches.map((match) => match.id)).toEqual(["north", "north-east", "east"]);
      expect(matches[0]!.score).toBeCloseTo(1, 5);
      expect(matches[1]!.score).toBeCloseTo(Math.SQRT1_2, 5);
      expect(matches[2]!.score).toBeCloseTo(0, 5);
      expect(matches[0]).not.toHaveProperty("values");
      expect(matches[0]).not.toHaveProperty("metadata");
    });

    it("returns values and metadata only when asked", async () => {
      const index = await seed(freshIndex());
      const [match] = await index.query([0, 1, 0], { topK: 1, returnValues: true, returnMetadata: "all" });
      expect(match).toMatchObject({ id: "north", values: [0, 1, 0], metadata: { kind: "post", lang: "en", likes: 10 } });
    });

    it("filters on metadata: implicit $eq, $ne, $in, $nin and ranges, all of them ANDed", async () => {
      const index = await seed(freshIndex());
      const ids = async (filter: VectorizeVectorMetadataFilter) =>
        (await index.query([0, 1, 0], { topK: 10, filter })).map((match) => match.id).sort();
      expect(await ids({ kind: "post" })).toEqual(["north", "north-east", "south"]);
      expect(await ids({ kind: "post", lang: "en" })).toEqual(["north", "south"]);
      expect(await ids({ lang: { $ne: "en" } })).toEqual(["north-east"]);
      expect(await ids({ lang: { $in: ["fr", "de"] } })).toEqual(["north-east"]);
      expect(await ids({ kind: { $nin: ["post"] } })).toEqual(["east"]);
      expect(await ids({ likes: { $gte: 3, $lt: 10 } })).toEqual(["north-east", "south"]);
      expect(await ids({ missing: "x" })).toEqual([]);
    });

    it("replaces a vector on upsert with the same id", async () => {
      const index = await seed(freshIndex());
      await index.upsert([{ id: "south", values: [0, 1, 0.01], metadata: { kind: "post" } }]);
      const [first, second] = await index.query([0, 1, 0], { topK: 2 });
      expect([first!.id, second!.id].sort()).toEqual(["north", "south"]);
      const [stored] = await index.getByIds(["south"]);
      expect(stored!.metadata).toEqual({ kind: "post" });
    });

    it("gets and deletes by id, ignoring ids it does not have", async () => {
      const index = await seed(freshIndex());
      const found = await index.getByIds(["east", "nowhere"]);
      expect(found).toEqual([{ id: "east", values: [1, 0, 0], metadata: { kind: "user", lang: "en", likes: 0 } }]);
      await index.deleteByIds(["east", "nowhere"]);
      expect(await index.getByIds(["east"])).toEqual([]);
      expect((await index.query([1, 0, 0], { topK: 10 })).map((match) => match.id)).not.toContain("east");
    });

    it("keeps namespaces apart when asked", async () => {
      const index = freshIndex();
      await index.upsert([
        { id: "a", values: [1, 0], namespace: "alice" },
        { id: "b", values: [1, 0], namespace: "bob" },
      ]);
      expect((await index.query([1, 0], { topK: 5, namespace: "bob" })).map((match) => match.id)).toEqual(["b"]);
    });

    it("rejects what Vectorize rejects: wrong dimensions, oversized ids, bad topK", async () => {
      const index = await seed(freshIndex());
      await expect(index.upsert([{ id: "flat", values: [1, 0] }])).rejects.toThrow(/dimensions/);
      await expect(index.upsert([{ id: "x".repeat(65), values: [1, 0, 0] }])).rejects.toThrow(/ids must be/);
      await expect(index.query([1, 0], { topK: 1 })).rejects.toThrow(/dimensions/);
      await expect(index.query([1, 0, 0], { topK: 0 })).rejects.toThrow(/topK/);
      await expect(index.query([1, 0, 0], { topK: 101 })).rejects.toThrow(/topK/);
      await expect(index.query([1, 0, 0], { topK: 21, returnValues: true })).rejects.toThrow(/topK/);
    });
  });
}

let counter = 0;
vectorIndexContract("local Durable Object", () => localVectorIndex(env, `contract-${(counter += 1)}`));

describe("choosing the adapter", () => {
  it("uses the local index where there is no Vectorize binding, as in wrangler dev and the test pool", () => {
    expect(env.VECTORIZE).toBeUndefined();
    expect(recommendationsIndex(env).backend).toBe("local");
  });

  it("uses Vectorize where the binding exists, as in staging and production", () => {
    const deployed = { ...env, VECTORIZE: {} as VectorizeIndex };
    expect(recommendationsIndex(deployed).backend).toBe("vectorize");
  });
});
