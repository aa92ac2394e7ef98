import type { EnvelopeCipher } from '../crypto/envelopeCipher';
import { auditEntrySchema, type AuditEntry } from './auditLog';

/** Audit entries are encrypted like conversations; each is bound to its own id. */
export function createAuditCodec(cipher: EnvelopeCipher) {
  return {
    encode: (entry: AuditEntry) => cipher.encrypt(JSON.stringify(entry), `audit:${entry.id}`),
    decode(id: string, envelope: string): AuditEntry | undefined {
      try {
        const parsed = auditEntrySchema.safeParse(JSON.parse(cipher.decrypt(envelope, `audit:${id}`)));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type AuditCodec = ReturnType<typeof createAuditCodec>;
