import { encodePng, type Rgb } from "./png.ts";

function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** A GitHub-style 5x5 mirrored identicon, the same for the same name on every run. */
export async function identiconPng(name: string, size = 256): Promise<Uint8Array> {
  const hash = await digest(name);
  const foreground = hsl((hash[0]! / 255) * 360, 0.55, 0.5);
  const background: Rgb = [240, 242, 245];
  const cell = size / 6;
  const margin = cell / 2;
  return encodePng(size, size, (x, y) => {
    const column = Math.floor((x - margin) / cell);
    const row = Math.floor((y - margin) / cell);
    if (column < 0 || column > 4 || row < 0 || row > 4) return background;
    const mirrored = column > 2 ? 4 - column : column;
    return hash[1 + row * 3 + mirrored]! % 2 === 0 ? foreground : background;
  });
}

/** A soft two-colour gradient banner (3:1), also derived from the name. */
export async function bannerPng(name: string, width = 1500, height = 500): Promise<Uint8Array> {
  const hash = await digest(`banner:${name}`);
  const from = hsl((hash[0]! / 255) * 360, 0.5, 0.62);
  const to = hsl((hash[1]! / 255) * 360, 0.5, 0.42);
  return encodePng(width, height, (x, y) => {
    const t = (x / width + y / height) / 2;
    return [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * t)) as Rgb;
  });
}
