import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createEmbeddedDocumentStore, createEncryptedJsonCodec, type DocumentStore, type EnvelopeCipher } from '../../integrations';

const year = 365 * 24 * 3600 * 1000;

/** What the reference MASH keeps of a referral: enough for its page and its status answers. */
export const mashReferralSchema = z.object({
  referralId: z.string(),
  reference: z.string(),
  clientReference: z.string(),
  receivedAt: z.string(),
  urgency: z.string(),
  category: z.number(),
  childInitial: z.string(),
  age: z.string(),
  summary: z.string(),
  status: z.enum(['received', 'acknowledged', 'info-requested', 'decided']),
  decision: z.object({ outcome: z.string(), note: z.string().optional() }).optional(),
  history: z.array(z.object({ at: z.string(), what: z.string() })),
});
export type MashReferral = z.infer<typeof mashReferralSchema>;

/** One Idempotency-Key: the body's hash and the answer given, replayed for the same body. */
const keyRecordSchema = z.object({ hash: z.string(), status: z.number(), answer: z.record(z.string(), z.unknown()) });
const sequenceSchema = z.object({ next: z.number().int(), ids: z.array(z.string()) });

/** Order-independent JSON, so the same body sent with its keys reordered is still "the same body". */
export function canonicalHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}

async function changeDoc<T>(store: DocumentStore<T>, key: string, apply: (current: T | undefined) => T): Promise<T> {
  for (;;) {
    const { rev, record } = await store.load(key);
    const next = apply(record);
    if ((await store.save(key, next, rev)).ok) return next;
  }
}

/** Encrypted files under DATA_DIR/reference-mash: it survives restarts like the rest of the service. */
export async function createReferenceMashStore(dataDir: string, cipher: EnvelopeCipher) {
  const store = <T>(folder: string, schema: z.ZodType<T>) =>
    createEmbeddedDocumentStore<T>({ dataDir, folder: `reference-mash/${folder}`, codec: createEncryptedJsonCodec(cipher, schema, (k) => `reference-mash:${folder}:${k}`), ttlMs: year });
  const keys = await store('keys', keyRecordSchema);
  const referrals = await store('referrals', mashReferralSchema);
  const sequence = await store('sequence', sequenceSchema);

  return {
    /** The stored answer for a key, or undefined when the key is new; `sameBody` says whether it matches. */
    async replay(key: string, hash: string) {
      const found = (await keys.load(key)).record;
      return found ? { sameBody: found.hash === hash, status: found.status, answer: found.answer } : undefined;
    },
    /** Stores the answer for a key once; a racing duplicate gets the first answer back. */
    async remember(key: string, hash: string, status: number, answer: Record<string, unknown>) {
      const saved = await keys.save(key, { hash, status, answer }, 0);
      return saved.ok ? { status, answer } : ((await keys.load(key)).record ?? { status, answer });
    },
    /** Allocates `MASH-<year>-<6 digits>` and the referral id from one persisted sequence. */
    async allocate(referralId: string, nowYear: number): Promise<string> {
      const next = await changeDoc(sequence, 'referrals', (s) => ({ next: (s?.next ?? 0) + 1, ids: [...(s?.ids ?? []), referralId] }));
      return `MASH-${nowYear}-${String(next.next).padStart(6, '0')}`;
    },
    saveReferral: (referral: MashReferral) => changeDoc(referrals, referral.referralId, () => referral),
    getReferral: async (referralId: string) => (await referrals.load(referralId)).record,
    updateReferral: (referralId: string, apply: (r: MashReferral) => MashReferral) =>
      changeDoc(referrals, referralId, (r) => {
        if (!r) throw new Error('unknown referral');
        return apply(r);
      }),
    async listReferrals(): Promise<MashReferral[]> {
      const ids = (await sequence.load('referrals')).record?.ids ?? [];
      const all = await Promise.all(ids.map(async (id) => (await referrals.load(id)).record));
      return all.filter((r): r is MashReferral => r !== undefined).reverse();
    },
  };
}

export type ReferenceMashStore = Awaited<ReturnType<typeof createReferenceMashStore>>;
