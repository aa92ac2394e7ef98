import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelopeCipher, createOutboxCodec, encryptionKey, type OutboxCodec } from '../../integrations';

/** A codec with a fresh random key, and a fresh data folder: what outbox unit tests need. */
export function testCodec(key: Buffer = randomBytes(32)): OutboxCodec {
  return createOutboxCodec(createEnvelopeCipher([encryptionKey(key)]));
}

export function testDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sg-outbox-'));
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2025-06-15T10:00:00Z')) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms), set: (ms: number) => (at = ms) };
}
