import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createEnvelopeCipher, encryptionKey, openEmbeddedDocumentStores, openRedisDocumentStores, storageKeyOf, type DocumentKindName, type DocumentStore } from '../integrations';
import { deleteByPrefix, describeWithRedis, newRedis, uniquePrefix } from './support/redis';
import { tempDataDir } from './support/serviceProcess';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const at = '2026-03-02T10:00:00.000Z';
const hour = 3600_000;
const day = 24 * hour;
const periods = { conversationMs: 5 * hour, closedHandoffMs: 7 * day, draftMs: 7 * day };

/**
 * Where each kind was stored before the kinds became one table (issue 19 item 4), spelled out here on
 * purpose: data already on disks and in Redis is in this layout, so the table must keep reading it.
 */
const layout: Array<{ kind: DocumentKindName; folder: string; namespace: string; context: string; record: object; keptMs: number }> = [
  {
    kind: 'conversations',
    folder: 'conversations',
    namespace: 'conv',
    context: 'conversation',
    keptMs: periods.conversationMs,
    record: { machineId: 'menu', machineVersion: '1', snapshot: { value: 'menu' }, trail: [], turn: 1, contentVersion: 'test', startedAt: at, updatedAt: at },
  },
  {
    kind: 'referrals',
    folder: 'referrals',
    namespace: 'referral',
    context: 'referral',
    keptMs: 90 * day,
    record: { clientReference: 'SG-FORMAT0001', ownerKey: 'owner', channelId: 'msteams', conversation: {}, createdAt: at, status: 'queued', events: [] },
  },
  { kind: 'referral-owners', folder: 'referral-owners', namespace: 'referral-owner', context: 'referral-owner', keptMs: 90 * day, record: { refs: ['SG-FORMAT0001'] } },
  { kind: 'mash-events', folder: 'mash-events', namespace: 'mash-event', context: 'mash-event', keptMs: 30 * day, record: { at } },
  {
    kind: 'mash-questions',
    folder: 'mash-questions',
    namespace: 'mash-question',
    context: 'mash-question',
    keptMs: 90 * day,
    record: { clientReference: 'SG-FORMAT0001', referralId: 'r-1', eventId: 'e-1', reference: 'MASH-2026-000001', askedAt: at },
  },
  {
    // An open handoff is kept a year, whatever RETENTION_HANDOFF_DAYS says (it runs from closing).
    kind: 'handoffs',
    folder: 'handoffs',
    namespace: 'handoff',
    context: 'handoff',
    keptMs: 365 * day,
    record: {
      handoffId: 'h-1',
      kind: 'talk-to-coordinator',
      referrer: { channelId: 'msteams', conversation: {} },
      summary: 'Test summary',
      urgency: 'routine',
      createdAt: at,
      status: 'open',
      messages: [],
    },
  },
  { kind: 'handoff-index', folder: 'handoff-index', namespace: 'handoff-index', context: 'handoff-index', keptMs: 365 * day, record: { ids: ['h-1'] } },
  {
    kind: 'handoff-awaiting',
    folder: 'handoff-awaiting',
    namespace: 'handoff-awaiting',
    context: 'handoff-awaiting',
    keptMs: periods.closedHandoffMs,
    record: { handoffId: 'h-1' },
  },
  {
    kind: 'conversation-references',
    folder: 'conversation-references',
    namespace: 'conversation-reference',
    context: 'conversation-reference',
    keptMs: 90 * day,
    record: { reference: { conversation: { id: 'conv-1' } }, updatedAt: at, dead: false },
  },
  {
    kind: 'web-notifications',
    folder: 'web-notifications',
    namespace: 'web-notifications',
    context: 'web-notifications',
    keptMs: 90 * day,
    record: { items: [{ id: 'n-1', at, text: 'Update' }] },
  },
  // Issue 20 item 1: a professional's current web chat conversation, kept as long as it (and a minute, its refresh interval).
  {
    kind: 'webchat-bindings',
    folder: 'webchat-bindings',
    namespace: 'webchat-binding',
    context: 'webchat-binding',
    keptMs: periods.conversationMs + 60_000,
    record: { conversationId: 'conv-1', boundAt: at },
  },
  // Issue 20 item 2: a professional's unfinished referrals, kept a day past RETENTION_DRAFT_DAYS so the audited sweep removes each first.
  {
    kind: 'referral-drafts',
    folder: 'referral-drafts',
    namespace: 'referral-draft',
    context: 'referral-draft',
    keptMs: periods.draftMs + day,
    record: {
      owner: 'owner',
      drafts: [{ draftId: 'DR-FORMAT00001', actor: { channelId: 'msteams', userId: 'u-1' }, startedAt: at, savedAt: at, answers: { 'ref-child-first-name': 'Test' } }],
    },
  },
];

const key = storageKeyOf('document-1');
const envelope = (entry: (typeof layout)[number]) => cipher.encrypt(JSON.stringify(entry.record), `${entry.context}:${key}`);

/** Loads the document and saves it back unchanged, as a turn would: what a reader and a writer of that data see. */
async function loadAndSave(store: DocumentStore<unknown>) {
  const loaded = await store.load('document-1');
  return { loaded, saved: await store.save('document-1', loaded.record, loaded.rev) };
}

describe('document kinds: data stored in the earlier layout', () => {
  it.each(layout)('$kind loads from DATA_DIR/$folder, and a save there keeps it for as long as before', async (entry) => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, entry.folder), { recursive: true });
    const path = join(dataDir, entry.folder, `${key}.json`);
    writeFileSync(path, JSON.stringify({ rev: 3, expiresAt: Date.now() + hour, data: envelope(entry) }));
    const store = (await openEmbeddedDocumentStores({ dataDir, cipher, periods }, [entry.kind]))[entry.kind];

    const before = Date.now();
    expect(await loadAndSave(store)).toEqual({ loaded: { rev: 3, record: entry.record }, saved: { ok: true, rev: 4 } });
    const { expiresAt } = JSON.parse(readFileSync(path, 'utf8')) as { expiresAt: number };
    expect(expiresAt).toBeGreaterThanOrEqual(before + entry.keptMs);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + entry.keptMs);
  });

  describeWithRedis('on Redis', () => {
    let redis: Redis;
    const prefix = uniquePrefix();
    beforeAll(() => {
      redis = newRedis();
    });
    afterAll(async () => {
      await deleteByPrefix(redis, prefix);
      await redis.quit();
    });

    it.each(layout)('$kind loads from <prefix>$namespace:<key>', async (entry) => {
      const redisKey = `${prefix}${entry.namespace}:${key}`;
      await redis.hset(redisKey, 'rev', '3', 'data', envelope(entry));
      const store = openRedisDocumentStores({ redis, cipher, periods, keyPrefix: prefix }, [entry.kind])[entry.kind];

      expect(await loadAndSave(store)).toEqual({ loaded: { rev: 3, record: entry.record }, saved: { ok: true, rev: 4 } });
      const ttl = await redis.pttl(redisKey);
      expect(ttl).toBeGreaterThan(entry.keptMs - 60_000);
      expect(ttl).toBeLessThanOrEqual(entry.keptMs);
    });
  });
});
