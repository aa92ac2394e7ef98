import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditCodec, createEnvelopeCipher, encryptionKey, type AuditEntry } from '../../integrations';

/** Reads and decrypts the embedded audit log a service wrote under `dataDir`, with the key it used. */
export function readAuditFile(dataDir: string, base64Key: string): AuditEntry[] {
  const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(base64Key, 'base64'))]));
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { id, data } = JSON.parse(line) as { id: string; data: string };
      const entry = codec.decode(id, data);
      if (!entry) throw new Error(`audit line ${id} does not decrypt`);
      return entry;
    });
}
