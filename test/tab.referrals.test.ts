import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadDefaultPack, type PendingEffect } from '../flows';
import {
  createEmbeddedDocumentStore,
  createEmbeddedOutbox,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  createHandoffQueue,
  createOutboxCodec,
  createReferralRegistry,
  embeddedHandoffStores,
  encryptionKey,
  ownerIndexSchema,
  pendingQuestionSchema,
  referralTrackingSchema,
  seenEventSchema,
} from '../integrations';
import { createReferralService } from '../server/services';
import { referralRowsFor } from '../server/tabs';
import { referralBody } from './support/mashFixtures';
import { tempDataDir } from './support/serviceProcess';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const day = 86_400_000;
const oid = '99999999-8888-7777-6666-555555555555';

/** The real referral service over the embedded, encrypted store (as `npm start` runs it). */
async function build() {
  const dataDir = tempDataDir();
  const doc = <T>(folder: string, schema: Parameters<typeof createEncryptedJsonCodec<T>>[1]) =>
    createEmbeddedDocumentStore<T>({ dataDir, folder, codec: createEncryptedJsonCodec(cipher, schema, (k) => `${folder}:${k}`), ttlMs: day });
  const registry = createReferralRegistry({
    referrals: await doc('referrals', referralTrackingSchema),
    owners: await doc('owners', ownerIndexSchema),
    events: await doc('events', seenEventSchema),
    questions: await doc('questions', pendingQuestionSchema),
  });
  return createReferralService({
    outbox: await createEmbeddedOutbox({ dataDir, codec: createOutboxCodec(cipher) }),
    registry,
    handoffs: createHandoffQueue(await embeddedHandoffStores(dataDir, cipher, day)),
    pack: loadDefaultPack(),
    logger: pino({ level: 'silent' }),
    notify: async () => true,
  });
}

function filed(clientReference: string, channelId: string, userId: string, aadObjectId?: string): PendingEffect<'outbox.enqueue'> {
  const body = referralBody({ clientReference });
  return {
    effect: { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body } },
    actor: { channelId, userId },
    reference: {
      channelId,
      conversation: { id: `conv-${clientReference}` },
      serviceUrl: 'http://127.0.0.1:9/',
      user: { id: userId, name: 'Test Teacher', ...(aadObjectId ? { aadObjectId } : {}) },
    },
  };
}

describe('the tab lists referrals from Teams and the web chat for one professional', () => {
  it('links Teams referrals by Entra object id and web chat referrals by the session id', async () => {
    const service = await build();
    // Two Teams chats of the same person (different 29: ids, one object id), a web chat as the SSO session, and someone else.
    await service.enqueue(filed('SG-TAB0000001', 'msteams', '29:teams-user-a', oid.toUpperCase()));
    await service.enqueue(filed('SG-TAB0000002', 'msteams', '29:teams-user-b', oid));
    await service.enqueue(filed('SG-TAB0000003', 'webchat', `aad-${oid}`));
    await service.enqueue(filed('SG-TAB0000004', 'msteams', '29:someone-else', '00000000-0000-0000-0000-000000000001'));

    const viaSso = await referralRowsFor({ id: `aad-${oid}`, name: 'Test Teacher' }, service, 'webchat');
    expect(viaSso.map((r) => [r.clientReference, r.channel, r.status]).sort()).toEqual([
      ['SG-TAB0000001', 'Teams', 'queued'],
      ['SG-TAB0000002', 'Teams', 'queued'],
      ['SG-TAB0000003', 'Web chat', 'queued'],
    ]);
    // Signed in on the web without Teams (local or OIDC), only that web identity's referrals show.
    expect(await referralRowsFor({ id: 'local-0123456789abcdef01234567' }, service, 'webchat')).toEqual([]);
    // "my referrals" in the Teams chat itself still lists by the Teams user id.
    expect((await service.listFor('msteams', '29:teams-user-a')).map((t) => t.clientReference)).toEqual(['SG-TAB0000001']);
  });
});
