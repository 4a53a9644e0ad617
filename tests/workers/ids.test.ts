import { describe, expect, it } from "vitest";
import { idAt, idFloorAt, isId, newId, normaliseId, timestampOfId } from "#db/ids.ts";

describe("time-sortable ids", () => {
  it("are strictly increasing within an isolate, even within one millisecond", () => {
    const now = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 1000 }, () => newId(now));
    const sorted = [...ids].sort();
    expect(ids).toEqual(sorted);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sort as strings in time order and carry their timestamp", () => {
    const earlier = idAt(Date.UTC(2026, 0, 1), 65_535);
    const later = idAt(Date.UTC(2026, 0, 1) + 1, 0);
    expect(earlier < later).toBe(true);
    expect(earlier).toHaveLength(18);
    expect(timestampOfId(later)).toBe(Date.UTC(2026, 0, 1) + 1);
    expect(idFloorAt(Date.UTC(2026, 0, 1)) <= earlier).toBe(true);
  });

  it("accept only decimal strings within 63 bits", () => {
    expect(isId("117613694074028032")).toBe(true);
    expect(isId("9223372036854775807")).toBe(true);
    expect(isId("9223372036854775808")).toBe(false);
    expect(isId("garbage")).toBe(false);
    expect(isId("-1")).toBe(false);
    expect(isId("")).toBe(false);
  });

  it("normalise short client-supplied ids so they compare correctly with stored ones", () => {
    expect(normaliseId("42")).toBe("000000000000000042");
    expect(normaliseId("42") < idAt(Date.UTC(2026, 0, 1))).toBe(true);
  });
});
