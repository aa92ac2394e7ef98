import { deflateSync, inflateSync } from 'node:zlib';
import { DomainError } from '../flows';
import { crc32 } from './crc32';

/** An image as 8-bit RGBA samples, row by row from the top left. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What a PNG's header says, and its pixels widened to RGBA. */
export interface DecodedPng extends RgbaImage {
  bitDepth: number;
  /** 2 = RGB, 6 = RGBA (PNG spec §11.2.2). */
  colorType: number;
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const channelsByColorType: Record<number, number> = { 2: 3, 6: 4 };

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(head.subarray(4), data), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels as a PNG (colour type 6, 8 bits, no interlace, filter 0 on every row). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new DomainError('SG-INTERNAL', `image data is not ${width}×${height} RGBA`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function invalid(detail: string): DomainError {
  return new DomainError('SG-INTERNAL', `not a usable PNG: ${detail}`);
}

function readChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  if (png.length < 8 || !png.subarray(0, 8).equals(signature)) throw invalid('missing PNG signature');
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length;) {
    if (at + 12 > png.length) throw invalid('truncated chunk');
    const length = png.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > png.length) throw invalid('truncated chunk');
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8), data) !== png.readUInt32BE(end - 4)) throw invalid('chunk CRC mismatch');
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data });
    at = end;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') throw invalid('IHDR must come first and IEND last');
  return chunks;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters of PNG spec §9 in place; `bpp` is bytes per pixel. */
function unfilter(raw: Buffer, height: number, stride: number, bpp: number): Buffer {
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const byte = raw[y * (stride + 1) + 1 + x];
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw invalid(`unknown row filter ${filter}`);
      out[y * stride + x] = (byte + predictor) & 0xff;
    }
  }
  return out;
}

/** Decodes the 8-bit RGB or RGBA, non-interlaced PNGs an app icon should be; anything else throws. */
export function decodePng(png: Buffer): DecodedPng {
  const chunks = readChunks(png);
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = ihdr.subarray(8, 13);
  const channels = channelsByColorType[colorType];
  if (bitDepth !== 8 || !channels || interlace !== 0) {
    throw invalid(`bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace} (want 8-bit RGB or RGBA, not interlaced)`);
  }
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  if (raw.length !== (stride + 1) * height) throw invalid('image data does not match its header');
  const samples = unfilter(raw, height, stride, channels);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    data.set(samples.subarray(i * channels, i * channels + 3), i * 4);
    data[i * 4 + 3] = channels === 4 ? samples[i * channels + 3] : 255;
  }
  return { width, height, bitDepth, colorType, data };
}
