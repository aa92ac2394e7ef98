import type { RgbaImage } from './png';

/** The partnership colour: the colour icon's background and the manifest's `accentColor`. */
export const accentColor = '#1B5E8C';

/** A shield in a unit square: flat top, straight sides down to `shoulder`, then curving to a point. */
interface Shield {
  top: number;
  shoulder: number;
  bottom: number;
  halfWidth: number;
}

type Point = readonly [number, number];

function inShield(s: Shield, x: number, y: number): boolean {
  if (y < s.top || y > s.bottom) return false;
  const t = y <= s.shoulder ? 0 : (y - s.shoulder) / (s.bottom - s.shoulder);
  return Math.abs(x - 0.5) <= s.halfWidth * (1 - t * t);
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A tick drawn as a thick polyline: the shield says "safeguarding", the tick says "checked, decided". */
function onTick(points: readonly Point[], halfThickness: number, x: number, y: number): boolean {
  return points.slice(1).some((b, i) => distanceToSegment([x, y], points[i], b) <= halfThickness);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

const colorShield: Shield = { top: 0.17, shoulder: 0.47, bottom: 0.86, halfWidth: 0.3 };
const colorTick: Point[] = [
  [0.37, 0.5],
  [0.46, 0.6],
  [0.64, 0.39],
];
const samplesPerAxis = 4;

/** Share of a pixel's 4×4 sample grid that is white (inside the shield, outside the tick). */
function whiteCoverage(px: number, py: number, size: number): number {
  let hits = 0;
  for (let sy = 0; sy < samplesPerAxis; sy += 1) {
    for (let sx = 0; sx < samplesPerAxis; sx += 1) {
      const x = (px + (sx + 0.5) / samplesPerAxis) / size;
      const y = (py + (sy + 0.5) / samplesPerAxis) / size;
      if (inShield(colorShield, x, y) && !onTick(colorTick, 0.045, x, y)) hits += 1;
    }
  }
  return hits / samplesPerAxis ** 2;
}

/** The 192×192 colour icon: a white shield with a tick on the partnership colour, anti-aliased. */
export function drawColorIcon(size = 192): RgbaImage {
  const accent = hexToRgb(accentColor);
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const white = whiteCoverage(px, py, size);
      const rgb = accent.map((c) => Math.round(c + (255 - c) * white));
      data.set([...rgb, 255], (py * size + px) * 4);
    }
  }
  return { width: size, height: size, data };
}

const outlineShield: Shield = { top: 0.08, shoulder: 0.45, bottom: 0.94, halfWidth: 0.36 };
const outlineTick: Point[] = [
  [0.34, 0.49],
  [0.46, 0.62],
  [0.67, 0.37],
];

/** True when the pixel centre lies inside the shield within `stroke` pixels of its edge. */
function onShieldEdge(x: number, y: number, size: number, stroke: number): boolean {
  if (!inShield(outlineShield, x, y)) return false;
  const r = stroke / size;
  const probes: Point[] = [
    [r, 0],
    [-r, 0],
    [0, r],
    [0, -r],
    [r * 0.7, r * 0.7],
    [-r * 0.7, r * 0.7],
    [r * 0.7, -r * 0.7],
    [-r * 0.7, -r * 0.7],
  ];
  return probes.some(([dx, dy]) => !inShield(outlineShield, x + dx, y + dy));
}

/**
 * The 32×32 outline icon: the same shield and tick as white strokes on transparent. Teams tints it, so
 * every pixel is either opaque white or fully transparent (no anti-aliasing, no other colour).
 */
export function drawOutlineIcon(size = 32): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const on = onShieldEdge(x, y, size, 2) || onTick(outlineTick, 1.25 / size, x, y);
      if (on) data.set([255, 255, 255, 255], (py * size + px) * 4);
    }
  }
  return { width: size, height: size, data };
}
