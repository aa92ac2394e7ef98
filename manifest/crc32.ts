// CRC-32 as PNG (ISO/IEC 15948 §5.5) and ZIP (APPNOTE 4.4.7) both define it: polynomial 0xEDB88320
// (reflected), initial value and final XOR 0xFFFFFFFF.
const table = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 of one or more buffers taken as one stream (PNG checks a chunk's type and data together). */
export function crc32(...parts: Uint8Array[]): number {
  let crc = 0xffffffff;
  for (const part of parts) {
    for (const byte of part) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
