import { createEncryptedJsonCodec, type EncryptedJsonCodec } from '../crypto/encryptedJsonCodec';
import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { auditEntrySchema, type AuditEntry } from './auditEntry';

/** Audit entries are encrypted like conversations, each bound to its own id. */
export function createAuditCodec(cipher: EnvelopeCipher): AuditCodec {
  return createEncryptedJsonCodec(cipher, auditEntrySchema, (id) => `audit:${id}`);
}

export type AuditCodec = EncryptedJsonCodec<AuditEntry>;
