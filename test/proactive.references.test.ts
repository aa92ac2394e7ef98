import {
  createConversationReferences,
  createEmbeddedDocumentStore,
  createEncryptedJsonCodec,
  createEnvelopeCipher,
  encryptionKey,
  notificationListSchema,
  signMashEvent,
  storedReferenceSchema,
} from '../integrations';
import { cardIn, teamsClient } from './support/teamsClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { referralAnswers, until } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

jest.setTimeout(120_000);

const mashToken = 'reference-test-token-0123456789';
const webhookSecret = 'test-webhook-secret-0123456789abcdefghij';
const conversationId = 'a:teams-proactive-1';
// teamsClient's synthetic professional (Test Nurse) and their Entra object id.
const teamsUser = { channelId: 'msteams', userId: `29:user-${conversationId}`, aadObjectId: '6b5f4c3e-0000-4000-8000-000000000002' };

let stub: MashStub;
let connector: FakeConnector;
let service: ServiceProcess | undefined;
const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: '', MASH_API_TOKEN: mashToken, MASH_WEBHOOK_SECRET: webhookSecret };

beforeAll(async () => {
  stub = await startMashStub({ token: mashToken });
  connector = await startFakeConnector();
  env.MASH_INTAKE_URL = stub.baseUrl;
});
afterAll(async () => {
  await service?.stop();
  await stub?.close();
  await connector?.close();
});

/** The service's own encrypted store, opened the way it opens it (read while the service is stopped). */
async function openReferences() {
  const cipher = createEnvelopeCipher([encryptionKey(Buffer.from(env.STATE_ENCRYPTION_KEY, 'base64'))]);
  const day = 86_400_000;
  return createConversationReferences({
    references: await createEmbeddedDocumentStore({
      dataDir: env.DATA_DIR,
      folder: 'conversation-references',
      codec: createEncryptedJsonCodec(cipher, storedReferenceSchema, (k) => `conversation-reference:${k}`),
      ttlMs: day,
    }),
    notifications: await createEmbeddedDocumentStore({
      dataDir: env.DATA_DIR,
      folder: 'web-notifications',
      codec: createEncryptedJsonCodec(cipher, notificationListSchema, (k) => `web-notifications:${k}`),
      ttlMs: day,
    }),
  });
}

async function mashEvent(event: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ occurredAt: new Date().toISOString(), ...event });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${service!.url}/api/mash/events`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-mash-timestamp': ts, 'x-mash-signature': signMashEvent(body, ts, webhookSecret) },
  });
  expect(res.status).toBe(200);
}

describe('proactive updates through stored conversation references', () => {
  let clientReference: string;
  let answer: { referralId: string; reference: string };
  const chat = () => teamsClient(() => service!.url, connector, conversationId);

  it('stores the reference when the app is installed and reaches the referrer in Teams', async () => {
    service = await startInProcess(env);
    await chat().install();
    for (const text of referralAnswers) expect((await chat().say(text)).status).toBe(200);
    const submitted = await chat().say('Submit');
    clientReference =
      submitted.replies.map((r) => r.value).find((v) => v?.type === 'safeguarding.referralFiled')?.clientReference ??
      (JSON.stringify(submitted.replies).match(/SG-[0-9A-F]{12}/) ?? [])[0] ??
      '';
    expect(clientReference).toMatch(/^SG-/);
    await until(() => stub.answerFor(clientReference), 'the MASH to receive the referral');
    answer = stub.answerFor(clientReference) as typeof answer;
    await until(() => JSON.stringify(connector.forConversation(conversationId)).includes(answer.reference) || undefined, 'the delivered message in Teams');
  });

  it('on a 403 from Teams marks the reference dead and puts the update on the web list, without retrying', async () => {
    connector.refuse(conversationId, 403);
    const before = connector.recorded.length;
    await mashEvent({
      eventId: 'evt-pro-1',
      type: 'referral.decision',
      referralId: answer.referralId,
      reference: answer.reference,
      clientReference,
      decision: { outcome: 'early-help' },
    });
    await until(() => (service!.output().includes('conversation gone') ? true : undefined), 'the 403 to be handled');
    // A second update while the reference is dead is not even tried: it goes straight to the list.
    await mashEvent({ eventId: 'evt-pro-2', type: 'referral.acknowledged', referralId: answer.referralId, reference: answer.reference, clientReference });
    await until(() => (service!.output().split('"referrer not reachable').length > 2 ? true : undefined), 'the second update to be set aside');
    await service!.stop();
    service = undefined;
    expect(connector.recorded.length).toBe(before);

    const references = await openReferences();
    expect(await references.latest(teamsUser)).toMatchObject({ dead: true });
    expect(await references.latestForAad(teamsUser.aadObjectId)).toMatchObject({ dead: true });
    const listed = await references.notificationsForAad(teamsUser.aadObjectId);
    expect(listed).toHaveLength(2);
    // Newest first; both name the MASH reference, and the decision is there in words.
    expect(listed.every((n) => n.text.includes(answer.reference))).toBe(true);
    expect(listed.map((n) => n.text).join('\n')).toMatch(/early help/i);
    // Teams users' lists are also under their Teams user id (for the web chat and the tab).
    expect(await references.notificationsFor(teamsUser)).toHaveLength(2);
  });

  it('after a restart, a later message from the user revives the reference and updates reach Teams again as cards', async () => {
    await service?.stop(); // only when the test before failed half-way
    service = await startInProcess(env);
    connector.refuse(conversationId, undefined);
    expect((await chat().say('help')).status).toBe(200);
    await mashEvent({
      eventId: 'evt-pro-3',
      type: 'referral.decision',
      referralId: answer.referralId,
      reference: answer.reference,
      clientReference,
      decision: { outcome: 'assessment' },
    });
    const update = await until(
      () =>
        connector
          .forConversation(conversationId)
          .find((a) => a.value?.type === 'safeguarding.referralUpdate' && (a.value.decision as { outcome?: string } | undefined)?.outcome === 'assessment'),
      'the decision in Teams',
    );
    expect(cardIn(update)).toMatchObject({ type: 'AdaptiveCard' });
    await service.stop();
    service = undefined;
    expect(await (await openReferences()).latest(teamsUser)).toMatchObject({ dead: false });
  });
});
