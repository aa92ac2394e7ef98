import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AuditCodec } from './auditCodec';
import type { AuditEntry } from './auditEntry';

/** The `prev` of the first chained record in a stream (an audit log is one stream: one file or one Redis stream). */
export const genesisHash = '0'.repeat(64);

/**
 * Object keys sorted at every level, so the same entry always hashes the same after a decode. It is also
 * JSON of the entry, so an append encrypts this same text instead of serialising the entry a second time.
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Hash of a record = sha256(previous hash, the decrypted entry). It covers the plaintext, not the
 * ciphertext, so re-encrypting under a new key (`keys:rotate`) keeps the chain valid while any change
 * to what was recorded, or to the order, breaks it.
 */
export function chainHash(prev: string, entry: AuditEntry): string {
  return chainHashOfText(prev, canonical(entry));
}

/** chainHash of an entry already in `canonical` form. */
export function chainHashOfText(prev: string, canonicalEntry: string): string {
  return createHash('sha256').update(`${prev}\n${canonicalEntry}`, 'utf8').digest('hex');
}

/** One stored record as it sits in the file or stream, before decryption. */
export interface StoredAuditRecord {
  /** Where it is, for the report: `audit.jsonl:12` or a Redis stream id. */
  location: string;
  id: string;
  data: string;
  prev?: string;
  hash?: string;
}

/**
 * Where the log begins once retention has purged its oldest records (RETENTION_AUDIT_YEARS): the hash
 * the first kept record links to. Written in the same atomic step as the purge, so the chain still
 * verifies from there, and deleting the oldest records without it is still detected.
 */
export const auditStartSchema = z.object({ prev: z.string().regex(/^[0-9a-f]{64}$/), purged: z.number().int().nonnegative(), purgedBefore: z.string() });
export type AuditStart = z.infer<typeof auditStartSchema>;

export type ChainReport =
  | {
      ok: true;
      records: number;
      chained: number;
      unchained: number;
      purged?: number;
      /** Embedded: the file ends in an unfinished line (an append cut short), moved aside at the next append. */
      tornTail?: boolean;
      /** Embedded: how many such tails were moved aside to `audit.torn.jsonl`. */
      repairedTails?: number;
    }
  | { ok: false; records: number; location: string; problem: string };

/**
 * Walks the stream in order. Records written before chaining existed (no hash) may only come first;
 * after the first chained record every record must link to the one before and hash to what it says.
 * `head` (the last hash the writer recorded separately) catches deletion of the newest records; a
 * record missing at the start shows as a first record that links neither to genesis nor to `start`.
 */
export function verifyChain(records: StoredAuditRecord[], codec: AuditCodec, head?: string, start?: AuditStart): ChainReport {
  let prev: string | undefined = start?.prev;
  let unchained = 0;
  for (const [index, record] of records.entries()) {
    const fail = (problem: string): ChainReport => ({ ok: false, records: index, location: record.location, problem });
    if (record.hash === undefined) {
      if (prev !== undefined) return fail('record without a hash after the chain started');
      unchained += 1;
      continue;
    }
    const expectedPrev = prev ?? genesisHash;
    if (record.prev !== expectedPrev) return fail('does not link to the record before it (deleted, inserted or reordered)');
    const entry = codec.decode(record.id, record.data);
    if (!entry) return fail('does not decrypt with the configured keys (altered, or its key was removed)');
    if (entry.id !== record.id || chainHash(expectedPrev, entry) !== record.hash) return fail('content does not match its hash (altered)');
    prev = record.hash;
  }
  if (head !== undefined && head !== (prev ?? genesisHash)) {
    return { ok: false, records: records.length, location: 'end of log', problem: 'the newest records are missing (the log is shorter than its recorded head)' };
  }
  return { ok: true, records: records.length, chained: records.length - unchained, unchained, ...(start ? { purged: start.purged } : {}) };
}
