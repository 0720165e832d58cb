import sharp from 'sharp';
import type { SeedItem } from '../seed-data';

/** Side of the square tileable textures, in pixels. */
export const TEXTURE_SIZE = 256;

type Rgb = [number, number, number];
type Painter = (x: number, y: number, noise: number) => 'base' | 'ink' | 'accent';

const hex = (color: string): Rgb => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as Rgb;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((v, i) => Math.min(255, Math.max(0, Math.round(v + (b[i]! - v) * t)))) as Rgb;

/** Deterministic per-pixel noise in [0, 1): the same item always gives the same file. */
function noiseAt(x: number, y: number): number {
  const n = Math.sin(x * 127.1 + y * 311.7) * 43758.5453;
  return n - Math.floor(n);
}

const S = TEXTURE_SIZE;
const dot = (x: number, y: number, cell: number, radius: number) => {
  const dx = (x % cell) - cell / 2;
  const dy = (y % cell) - cell / 2;
  return dx * dx + dy * dy < radius * radius;
};

/** Every painter repeats with a period that divides the texture size, so the tiles meet seamlessly. */
const PAINTERS: Record<string, Painter> = {
  'item-fabric-denim': (x, y) => ((x + y) % 4 < 2 ? 'base' : 'accent'),
  'item-fabric-wool-twill': (x, y) => ((x + y) % 8 < 4 ? 'base' : 'accent'),
  'item-fabric-linen': (x, y, n) => (n > 0.85 || x % 16 === 0 ? 'accent' : 'base'),
  'item-pattern-breton-stripe': (_x, y) => (y % 32 < 12 ? 'ink' : 'base'),
  'item-pattern-gingham': (x, y) => {
    const a = x % 32 < 16;
    const b = y % 32 < 16;
    return a && b ? 'ink' : a || b ? 'accent' : 'base';
  },
  'item-pattern-houndstooth': (x, y) => {
    const cx = x % 32;
    const cy = y % 32;
    return cx < 16 !== cy < 16 || (cx + cy) % 32 < 6 ? 'ink' : 'base';
  },
  'item-pattern-polka-dot': (x, y) => (dot(x, y, 32, 7) ? 'ink' : 'base'),
  'item-pattern-floral': (x, y) => (dot(x, y, 64, 10) ? 'accent' : dot(x + 32, y + 32, 64, 6) ? 'ink' : 'base'),
  'item-pattern-leopard': (x, y) => (dot(x, y, 64, 14) ? 'ink' : dot(x, y, 64, 18) ? 'accent' : 'base'),
};

const plain: Painter = (_x, _y, n) => (n > 0.9 ? 'accent' : 'base');

/** A tileable PNG for a FABRIC or PATTERN item, in its default colour. */
export async function buildTexture(item: SeedItem): Promise<Buffer> {
  const base = hex(item.defaultColor);
  const light = base.reduce((a, b) => a + b, 0) > 384;
  const palette: Record<ReturnType<Painter>, Rgb> = {
    base: item.type === 'PATTERN' ? (light ? [40, 40, 48] : [245, 242, 235]) : base,
    ink: base,
    accent: mix(base, light ? [0, 0, 0] : [255, 255, 255], 0.25),
  };
  const paint = PAINTERS[item.id] ?? plain;
  const pixels = Buffer.alloc(S * S * 3);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const n = noiseAt(x, y);
      const rgb = mix(palette[paint(x, y, n)], [128, 128, 128], (n - 0.5) * 0.06);
      pixels.set(rgb, (y * S + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width: S, height: S, channels: 3 } })
    .png()
    .toBuffer();
}
