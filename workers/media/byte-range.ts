export type ByteRange = { offset: number; length: number };

/**
 * Parses a single-range Range header (RFC 9110 §14.1.2) against the object's size. Returns undefined when the header
 * should be ignored (absent, not bytes, or several ranges: answering with the whole object is allowed) and
 * "unsatisfiable" when no byte of the range exists.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, startText = "", endText = ""] = match;
  if (startText === "" && endText === "") return undefined;
  if (startText === "") {
    const suffix = Math.min(Number(endText), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const start = Number(startText);
  const end = endText === "" ? size - 1 : Math.min(Number(endText), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}
