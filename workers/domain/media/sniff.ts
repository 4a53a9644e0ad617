/**
 * The image type a file really is, read from its first bytes (its "magic number"), never from its name or the type
 * the client claimed. Anything else (an executable renamed .png, an SVG with script, a PDF) is undefined.
 */
export type ImageType = "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/avif";

const ascii = (bytes: Uint8Array, start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));

export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (ascii(bytes, 0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "image/gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "image/webp";
  if (ascii(bytes, 4, 4) === "ftyp" && ["avif", "avis"].includes(ascii(bytes, 8, 4))) return "image/avif";
  return undefined;
}

export type VideoType = "video/mp4" | "video/webm" | "video/quicktime";

/** A video container, by its first bytes: ISO media (MP4, QuickTime) or Matroska/WebM. Image brands are not videos. */
export function sniffVideoType(bytes: Uint8Array): VideoType | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return "video/webm";
  if (ascii(bytes, 4, 4) !== "ftyp") return undefined;
  const brand = ascii(bytes, 8, 4);
  if (["avif", "avis", "heic", "heix", "mif1", "msf1"].includes(brand)) return undefined;
  return brand === "qt  " ? "video/quicktime" : "video/mp4";
}

/** The documents messages accept besides images and videos (ADR 0055). */
export const DOCUMENT_TYPES = ["application/pdf", "text/plain"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Control characters that never occur in text a person wrote (tab, line breaks and form feed do). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BINARY_CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/**
 * A document, by its bytes: a PDF by its signature, or plain text (UTF-8 that decodes without error and holds no control
 * characters but tab, line breaks and form feed). Anything else (archives, Office files that may carry macros,
 * executables) is undefined. HTML or SVG passes as plain text: it is only ever served as text/plain (ADR 0055).
 */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | undefined {
  if (bytes.length === 0) return undefined;
  if (ascii(bytes, 0, 5) === "%PDF-") return "application/pdf";
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return BINARY_CONTROL.test(text) ? undefined : "text/plain";
  } catch {
    return undefined;
  }
}

/**
 * Whether a GIF has more than one frame. Walks the GIF's blocks (colour tables, extensions, image data) counting
 * image descriptors; a truncated file counts what it has.
 */
export function isAnimatedGif(bytes: Uint8Array): boolean {
  const skipSubBlocks = (at: number) => {
    while (at < bytes.length && bytes[at] !== 0) at += bytes[at]! + 1;
    return at + 1;
  };
  const colourTable = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  let at = 13 + colourTable(bytes[10] ?? 0);
  let frames = 0;
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x21) at = skipSubBlocks(at + 2);
    else if (block === 0x2c) {
      frames += 1;
      if (frames > 1) return true;
      at = skipSubBlocks(at + 10 + colourTable(bytes[at + 9] ?? 0) + 1);
    } else break;
  }
  return false;
}
