/**
 * A video's length in milliseconds, read from its container without decoding it: the movie header (`mvhd`) of an
 * ISO media file (MP4, QuickTime), or the Duration element of a WebM/Matroska Segment Info. Undefined when the bytes
 * given do not hold it (a file cut short, or one whose header sits in a part not read).
 */
export function videoLengthMs(bytes: Uint8Array): number | undefined {
  return isoMovieLength(bytes) ?? matroskaLength(bytes);
}

function isoMovieLength(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = indexOf(bytes, [0x6d, 0x76, 0x68, 0x64]); // "mvhd"
  if (at < 0 || at + 32 > bytes.length) return undefined;
  const version = bytes[at + 4];
  if (version === 1) {
    if (at + 36 > bytes.length) return undefined;
    const timescale = view.getUint32(at + 24);
    const duration = Number(view.getBigUint64(at + 28));
    return timescale ? Math.round((duration / timescale) * 1000) : undefined;
  }
  const timescale = view.getUint32(at + 16);
  const duration = view.getUint32(at + 20);
  return timescale ? Math.round((duration / timescale) * 1000) : undefined;
}

/** Matroska's Duration (ID 0x4489) is a float of TimecodeScale units, nanoseconds each unless TimecodeScale says (1 ms by default). */
function matroskaLength(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== 0x1a || bytes[1] !== 0x45 || bytes[2] !== 0xdf || bytes[3] !== 0xa3) return undefined;
  const at = indexOf(bytes, [0x44, 0x89]);
  if (at < 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes[at + 2];
  let units: number;
  if (size === 0x84 && at + 7 <= bytes.length) units = view.getFloat32(at + 3);
  else if (size === 0x88 && at + 11 <= bytes.length) units = view.getFloat64(at + 3);
  else return undefined;
  const scaleAt = indexOf(bytes, [0x2a, 0xd7, 0xb1]);
  const scaleNs = scaleAt >= 0 ? readUnsigned(bytes, scaleAt + 3) : 1_000_000;
  return Number.isFinite(units) && scaleNs ? Math.round((units * scaleNs) / 1_000_000) : undefined;
}

/** An EBML unsigned integer whose size byte is at `at` (one-byte size marker, up to 8 bytes of value). */
function readUnsigned(bytes: Uint8Array, at: number): number | undefined {
  const marker = bytes[at];
  if (marker === undefined || marker < 0x81 || marker > 0x88) return undefined;
  let value = 0;
  for (let index = 1; index <= marker - 0x80; index += 1) value = value * 256 + (bytes[at + index] ?? 0);
  return value;
}

function indexOf(bytes: Uint8Array, pattern: number[]): number {
  outer: for (let at = 0; at + pattern.length <= bytes.length; at += 1) {
    for (let index = 0; index < pattern.length; index += 1) if (bytes[at + index] !== pattern[index]) continue outer;
    return at;
  }
  return -1;
}
