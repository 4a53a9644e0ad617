/**
 * Time-sortable IDs in the shape Mastodon uses: a 48-bit millisecond timestamp followed by 16 bits of sequence,
 * written as a decimal string. Clients treat them as opaque strings; we rely on their order for max_id/since_id/min_id
 * cursors. Every ID made after May 2018 has 18 digits, so string order equals numeric order in SQLite's TEXT columns;
 * padding keeps that true for the few (test) timestamps before it. See docs/decisions/0003-time-sortable-ids.md.
 */
const SEQUENCE_BITS = 16n;
const SEQUENCE_MASK = 0xffff;
const WIDTH = 18;
const ID_PATTERN = /^\d{1,19}$/;
const MAX_ID = (1n << 63n) - 1n;

let lastMillis = -1;
let sequence = 0;

/** The ID for an exact timestamp and sequence number: deterministic, for seeds and fixtures. */
export function idAt(millis: number, seq = 0): string {
  const value = (BigInt(Math.floor(millis)) << SEQUENCE_BITS) | BigInt(seq & SEQUENCE_MASK);
  return value.toString().padStart(WIDTH, "0");
}

/**
 * A new ID for "now". Within one isolate IDs are strictly increasing; each millisecond starts its sequence at a
 * random point in the lower half, so two isolates minting in the same millisecond are unlikely to collide, and the
 * primary key catches the rare case that they do.
 */
export function newId(now = Date.now()): string {
  let millis = Math.max(now, lastMillis);
  if (millis === lastMillis) {
    sequence += 1;
    if (sequence > SEQUENCE_MASK) {
      millis += 1;
      sequence = randomSequenceStart();
    }
  } else {
    sequence = randomSequenceStart();
  }
  lastMillis = millis;
  return idAt(millis, sequence);
}

function randomSequenceStart(): number {
  return crypto.getRandomValues(new Uint16Array(1))[0]! & 0x7fff;
}

/** The smallest ID that can exist at a timestamp: `id >= idFloorAt(t)` selects rows made at or after t. */
export function idFloorAt(millis: number): string {
  return idAt(millis, 0);
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value) && BigInt(value) <= MAX_ID;
}

/** Normalises a client-supplied ID (which may lack the padding) so that it compares correctly as a string. */
export function normaliseId(value: string): string {
  return BigInt(value).toString().padStart(WIDTH, "0");
}

export function timestampOfId(id: string): number {
  return Number(BigInt(id) >> SEQUENCE_BITS);
}
