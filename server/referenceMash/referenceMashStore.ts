import { z } from 'zod';
import { DomainError } from '../../flows';
import { createEmbeddedDocumentStore, createEncryptedJsonCodec, type DocumentStore, type EnvelopeCipher } from '../../integrations';
import { keyRecordSchema, mashIntelligenceSchema, mashReferralSchema, type KeyRecord, type MashIntelligence, type MashReferral } from './referenceMashRecords';

const day = 24 * 60 * 60 * 1000;
/**
 * Referrals, intelligence and idempotency keys are kept for 90 days: far longer than any client's
 * retry budget (MASH_RETRY_HOURS), short enough that a local reference intake does not pile up
 * concerns about children. The sequence and the index are kept for good: a sequence that expired
 * would hand out a reference twice.
 */
const retentionMs = 90 * day;
const foreverMs = 100 * 365 * day;
/** Compare-and-set retries before giving up: only reached if something keeps writing the same file. */
const maxAttempts = 50;

const sequenceSchema = z.object({ counters: z.record(z.string(), z.number().int().nonnegative()) });
const indexSchema = z.object({ referralIds: z.array(z.string()), intelligenceIds: z.array(z.string()) });
type Index = z.infer<typeof indexSchema>;

/**
 * Applies `change` to one document with compare-and-set, retrying on a concurrent write (two
 * instances may share DATA_DIR). `change` returns undefined to leave the document as it is.
 */
async function update<T>(store: DocumentStore<T>, key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const loaded = await store.load(key);
    if (loaded.unreadable) throw new DomainError('SG-STORE-CORRUPT', 'a reference MASH record could not be read');
    const next = change(loaded.record);
    if (next === undefined) return loaded.record;
    if ((await store.save(key, next, loaded.rev)).ok) return next;
  }
  throw new DomainError('SG-STORE-CONFLICT', 'a reference MASH record kept changing');
}

async function read<T>(store: DocumentStore<T>, key: string): Promise<T | undefined> {
  const loaded = await store.load(key);
  if (loaded.unreadable) throw new DomainError('SG-STORE-CORRUPT', 'a reference MASH record could not be read');
  return loaded.record;
}

const addId =
  (list: 'referralIds' | 'intelligenceIds', id: string) =>
  (index: Index | undefined): Index | undefined => {
    const current = index ?? { referralIds: [], intelligenceIds: [] };
    return current[list].includes(id) ? undefined : { ...current, [list]: [...current[list], id] };
  };

/** The reference MASH's folders under DATA_DIR/reference-mash, as `keys:rotate` walks them (contexts as below). */
export const referenceMashFolders = ['keys', 'referrals', 'intelligence', 'sequence', 'index'] as const;

/**
 * The reference MASH's data: encrypted files under `DATA_DIR/reference-mash/`, written atomically
 * under a lock by the embedded document store, so it survives restarts and `kill -9`.
 */
export async function createReferenceMashStore(dataDir: string, cipher: EnvelopeCipher) {
  const documents = <T>(folder: string, schema: z.ZodType<T>, ttlMs: number) =>
    createEmbeddedDocumentStore<T>({
      dataDir,
      folder: `reference-mash/${folder}`,
      ttlMs,
      codec: createEncryptedJsonCodec(cipher, schema, (storageKey) => `reference-mash:${folder}:${storageKey}`),
    });
  const keys = await documents('keys', keyRecordSchema, retentionMs);
  const referrals = await documents('referrals', mashReferralSchema, retentionMs);
  const intelligence = await documents('intelligence', mashIntelligenceSchema, retentionMs);
  const sequence = await documents('sequence', sequenceSchema, foreverMs);
  const index = await documents('index', indexSchema, foreverMs);

  return {
    /** The record kept for an Idempotency-Key, if it was used before. */
    keyRecord: (key: string) => read(keys, key),

    /** Records `record` under `key` unless another request got there first; returns whichever won. */
    async claimKey(key: string, record: KeyRecord): Promise<{ won: boolean; record: KeyRecord }> {
      const kept = await update(keys, key, (current) => (current ? undefined : record));
      return kept && kept !== record ? { won: false, record: kept } : { won: true, record };
    },

    /** `MASH-<year>-<6 digits>`, numbered from 1 each year. A request that loses a race leaves a gap, never a duplicate. */
    async allocateReference(at: Date): Promise<string> {
      const year = String(at.getUTCFullYear());
      const next = await update(sequence, 'references', (s) => ({ counters: { ...s?.counters, [year]: (s?.counters[year] ?? 0) + 1 } }));
      return `MASH-${year}-${String(next?.counters[year] ?? 0).padStart(6, '0')}`;
    },

    /** Saves a referral unless it exists (a replay after a crash repairs, never resets, what was kept). */
    async ensureReferral(record: MashReferral): Promise<void> {
      await update(referrals, record.referralId, (current) => (current ? undefined : record));
      await update(index, 'all', addId('referralIds', record.referralId));
    },

    getReferral: (referralId: string) => read(referrals, referralId),

    /** Changes a referral that must exist; `change` may return undefined to leave it alone. */
    async updateReferral(referralId: string, change: (referral: MashReferral) => MashReferral | undefined): Promise<MashReferral> {
      const updated = await update(referrals, referralId, (current) => {
        if (!current) throw new DomainError('SG-HTTP-NOT-FOUND', 'no such referral');
        return change(current);
      });
      if (!updated) throw new DomainError('SG-HTTP-NOT-FOUND', 'no such referral');
      return updated;
    },

    /** The newest `limit` referrals first; ones past their retention are skipped. */
    async listReferrals(limit: number): Promise<MashReferral[]> {
      const ids = ((await read(index, 'all'))?.referralIds ?? []).slice(-limit).reverse();
      const found = await Promise.all(ids.map((id) => read(referrals, id)));
      return found.filter((r): r is MashReferral => r !== undefined);
    },

    async ensureIntelligence(record: MashIntelligence): Promise<void> {
      await update(intelligence, record.intelligenceId, (current) => (current ? undefined : record));
      await update(index, 'all', addId('intelligenceIds', record.intelligenceId));
    },

    async listIntelligence(limit: number): Promise<MashIntelligence[]> {
      const ids = ((await read(index, 'all'))?.intelligenceIds ?? []).slice(-limit).reverse();
      const found = await Promise.all(ids.map((id) => read(intelligence, id)));
      return found.filter((r): r is MashIntelligence => r !== undefined);
    },

    /** Deletes files past their retention (their contents are already unreadable to every load). */
    async purgeExpired(): Promise<number> {
      const counts = await Promise.all([keys, referrals, intelligence].map((store) => store.purgeExpired()));
      return counts.reduce((a, b) => a + b, 0);
    },
  };
}

export type ReferenceMashStore = Awaited<ReturnType<typeof createReferenceMashStore>>;
