import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DomainError } from '../flows';
import { crc32 } from './crc32';

/** One file for a zip: a name at the root (or a forward-slash path) and its bytes. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

// Signatures and layout from PKWARE's APPNOTE.TXT 6.3.10, §4.3.7 (local header), §4.3.12 (central
// directory header) and §4.3.16 (end of central directory).
const localSignature = 0x04034b50;
const centralSignature = 0x02014b50;
const endSignature = 0x06054b50;
const stored = 0;
const deflated = 8;
// A fixed timestamp (1980-01-01 00:00, the DOS epoch) so the same inputs give the same zip bytes.
const dosTime = 0;
const dosDate = (0 << 9) | (1 << 5) | 1;

interface Packed extends ZipEntry {
  method: number;
  body: Buffer;
  crc: number;
  offset: number;
}

function pack(entry: ZipEntry, offset: number): Packed {
  const deflatedBody = deflateRawSync(entry.data, { level: 9 });
  const useDeflate = deflatedBody.length < entry.data.length;
  return {
    ...entry,
    method: useDeflate ? deflated : stored,
    body: useDeflate ? deflatedBody : entry.data,
    crc: crc32(entry.data),
    offset,
  };
}

/** The fields local and central headers share, from "version needed" to the name length (§4.3.7). */
function commonFields(file: Packed): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
  b.writeUInt16LE(0, 2); // flags: none (ASCII names, sizes known up front)
  b.writeUInt16LE(file.method, 4);
  b.writeUInt16LE(dosTime, 6);
  b.writeUInt16LE(dosDate, 8);
  b.writeUInt32LE(file.crc, 10);
  b.writeUInt32LE(file.body.length, 14);
  b.writeUInt32LE(file.data.length, 18);
  return b;
}

function localHeader(file: Packed, name: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(localSignature, 0);
  const lengths = Buffer.alloc(4);
  lengths.writeUInt16LE(name.length, 0);
  return Buffer.concat([head, commonFields(file), lengths, name]);
}

function centralHeader(file: Packed, name: Buffer): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt32LE(centralSignature, 0);
  head.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
  const tail = Buffer.alloc(18);
  tail.writeUInt16LE(name.length, 0); // then extra, comment, disk, internal and external attributes: 0
  tail.writeUInt32LE(file.offset, 14);
  return Buffer.concat([head, commonFields(file), tail, name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(endSignature, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}

/** Writes a plain zip (no zip64, no encryption): each file deflated, or stored when that is smaller. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(entry.name)) throw new DomainError('SG-INTERNAL', `zip entry name must be printable ASCII: ${entry.name}`);
    const file = pack(entry, offset);
    const name = Buffer.from(entry.name, 'latin1');
    const local = Buffer.concat([localHeader(file, name), file.body]);
    locals.push(local);
    centrals.push(centralHeader(file, name));
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  return Buffer.concat([...locals, central, endOfCentralDirectory(entries.length, central.length, offset)]);
}

function corrupt(detail: string): DomainError {
  return new DomainError('SG-INTERNAL', `not a readable zip: ${detail}`);
}

function readEntry(zip: Buffer, at: number): { entry: ZipEntry; next: number } {
  if (zip.readUInt32LE(at) !== centralSignature) throw corrupt('bad central directory header');
  const method = zip.readUInt16LE(at + 10);
  const crc = zip.readUInt32LE(at + 16);
  const compressedSize = zip.readUInt32LE(at + 20);
  const nameLength = zip.readUInt16LE(at + 28);
  const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  const localOffset = zip.readUInt32LE(at + 42);
  const name = zip.toString('latin1', at + 46, at + 46 + nameLength);
  if (zip.readUInt32LE(localOffset) !== localSignature) throw corrupt(`bad local header for ${name}`);
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  const body = zip.subarray(start, start + compressedSize);
  if (method !== stored && method !== deflated) throw corrupt(`${name} uses compression method ${method}`);
  const data = method === deflated ? inflateRawSync(body) : Buffer.from(body);
  if (crc32(data) !== crc) throw corrupt(`CRC mismatch in ${name}`);
  return { entry: { name, data }, next: at + 46 + skip };
}

/**
 * Reads a zip by its central directory (as unzip tools do), inflating and CRC-checking every file.
 * Only what `createZip` writes is supported: one disk, no zip64, stored or deflated.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > zip.length) throw corrupt('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  const entries: ZipEntry[] = [];
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < count; i += 1) {
    const { entry, next } = readEntry(zip, at);
    entries.push(entry);
    at = next;
  }
  return entries;
}
