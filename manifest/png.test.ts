import * as zlib from 'node:zlib';
import { crc32 } from './crc32';
import { decodePng, encodePng, type RgbaImage } from './png';

function pattern(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 1) data[i] = (i * 37 + (i >> 5) * 11) & 0xff;
  return { width, height, data };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Re-encodes `png` with row y using filter y % 5, to exercise every unfilter path of the decoder. */
function refilter(png: Buffer, image: RgbaImage): Buffer {
  const stride = image.width * 4;
  const rows: Buffer[] = [];
  for (let y = 0; y < image.height; y += 1) {
    const filter = y % 5;
    const row = Buffer.alloc(stride + 1);
    row[0] = filter;
    for (let x = 0; x < stride; x += 1) {
      const at = (dy: number, dx: number) => (y + dy >= 0 && x + dx >= 0 ? image.data[(y + dy) * stride + x + dx] : 0);
      const [a, b, c] = [at(0, -4), at(-1, 0), at(-1, -4)];
      row[x + 1] = (image.data[y * stride + x] - [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]) & 0xff;
    }
    rows.push(row);
  }
  const idat = zlib.deflateSync(Buffer.concat(rows));
  const head = Buffer.alloc(8);
  head.writeUInt32BE(idat.length, 0);
  head.write('IDAT', 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(head.subarray(4), idat), 0);
  const ihdrEnd = 8 + 25;
  return Buffer.concat([png.subarray(0, ihdrEnd), head, idat, crc, png.subarray(png.length - 12)]);
}

describe('crc32', () => {
  it('gives the CRC-32 check value of "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with zlib, and treats several buffers as one stream', () => {
    const data = Buffer.from(pattern(7, 5).data);
    const zlibCrc = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
    if (zlibCrc) expect(crc32(data)).toBe(zlibCrc(data));
    expect(crc32(data.subarray(0, 50), data.subarray(50))).toBe(crc32(data));
  });
});

describe('PNG', () => {
  it('round-trips RGBA pixels with a valid signature, IHDR and CRCs', () => {
    const image = pattern(13, 9);
    const png = encodePng(image);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const decoded = decodePng(png);
    expect(decoded).toMatchObject({ width: 13, height: 9, bitDepth: 8, colorType: 6 });
    expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('decodes rows written with every PNG filter type', () => {
    const image = pattern(6, 10);
    const decoded = decodePng(refilter(encodePng(image), image));
    expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('refuses what is not a PNG, and a corrupted chunk', () => {
    expect(() => decodePng(Buffer.from('GIF89a........'))).toThrow(/not a usable PNG: missing PNG signature/);
    const png = encodePng(pattern(4, 4));
    png[20] ^= 0xff;
    expect(() => decodePng(png)).toThrow(/CRC mismatch/);
  });
});
