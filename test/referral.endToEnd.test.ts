import { expect } from '@jest/globals';
import { signMashEvent } from '../integrations';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';
import { referralAnswers as answers, until } from './support/referralAnswers';

const token = 'reference-test-token-0123456789';
const webhookSecret = 'test-webhook-secret-0123456789abcdefghij';

describe('filing a referral end to end (/api/messages → outbox → MASH → webhook → referrer)', () => {
  let stub: MashStub;
  let connector: FakeConnector;
  let service: ServiceProcess | undefined;
  beforeAll(async () => {
    stub = await startMashStub({ token });
    connector = await startFakeConnector();
  });
  afterAll(async () => {
    await service?.stop();
    await stub.close();
    await connector.close();
  });

  const envFor = (dataDir: string) => ({
    DATA_DIR: dataDir,
    STATE_ENCRYPTION_KEY: testKey(),
    MASH_INTAKE_URL: stub.baseUrl,
    MASH_API_TOKEN: token,
    MASH_WEBHOOK_SECRET: webhookSecret,
  });

  async function fileReferral(conversationId: string) {
    const client = botClient(() => service!.url, connector, conversationId, { id: 'dsl-1', name: 'Test Teacher' });
    await client.join();
    for (const text of answers) expect((await client.say(text)).status).toBe(200);
    const submitted = await client.say('Submit');
    const filed = submitted.replies.find((r) => r.value?.type === 'safeguarding.referralFiled');
    expect(filed?.value).toMatchObject({ status: 'queued', clientReference: expect.stringMatching(/^SG-/) });
    return { client, clientReference: filed?.value?.clientReference as string };
  }

  const delivered = (conversationId: string) => () =>
    connector.forConversation(conversationId).find((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered');

  it('delivers once, tells the referrer the MASH reference, relays the decision, and lists it under "my referrals"', async () => {
    const env = envFor(tempDataDir());
    service = await startService(env);
    const { client, clientReference } = await fileReferral('e2e-referral');
    const told = await until(delivered('e2e-referral'), 'the delivered message');
    const answer = stub.answerFor(clientReference) as { referralId: string; reference: string };
    expect(told.value).toMatchObject({ reference: answer.reference, clientReference });
    expect(stub.storedCount(clientReference)).toBe(1);
    expect(stub.storedBody(clientReference)).toMatchObject({ child: { firstName: 'Test', lastName: 'Child', nhsNumber: '9434765919' }, urgency: 'same-day' });

    const body = JSON.stringify({
      eventId: 'evt-e2e-1',
      occurredAt: new Date().toISOString(),
      type: 'referral.decision',
      referralId: answer.referralId,
      reference: answer.reference,
      clientReference,
      decision: { outcome: 'strategy-discussion' },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const hook = await fetch(`${service.url}/api/mash/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-mash-timestamp': ts, 'x-mash-signature': signMashEvent(body, ts, webhookSecret) },
    });
    expect(hook.status).toBe(200);
    const update = await until(() => connector.forConversation('e2e-referral').find((a) => a.value?.type === 'safeguarding.referralUpdate'), 'the decision update');
    expect(update.value).toMatchObject({ reference: answer.reference, event: 'referral.decision', decision: { outcome: 'strategy-discussion' } });

    // The MASH asks a question; the referrer's next message is the answer, delivered to the MASH once.
    const askBody = JSON.stringify({
      eventId: 'evt-e2e-2',
      occurredAt: new Date().toISOString(),
      type: 'referral.info-requested',
      referralId: answer.referralId,
      reference: answer.reference,
      clientReference,
      question: 'Does the school have the car registration?',
    });
    const ts2 = String(Math.floor(Date.now() / 1000));
    await fetch(`${service.url}/api/mash/events`, {
      method: 'POST',
      body: askBody,
      headers: { 'content-type': 'application/json', 'x-mash-timestamp': ts2, 'x-mash-signature': signMashEvent(askBody, ts2, webhookSecret) },
    });
    await until(() => connector.forConversation('e2e-referral').find((a) => /car registration/.test(a.text ?? '')), 'the MASH question');
    const answered = await client.say('Yes, a grey car: the registration is on the school log.');
    expect(answered.replies[0].text).toMatch(/Your answer is on its way to the MASH/);
    const messageKey = await until(() => stub.storedKeys().find((k) => k.startsWith(`${clientReference}.a.`)), 'the answer at the MASH');
    expect(stub.storedCount(messageKey)).toBe(1);
    expect(stub.storedBody(messageKey)).toEqual({ text: 'Yes, a grey car: the registration is on the school log.', inReplyTo: 'evt-e2e-2' });
    // Only the next message answers: the one after is an ordinary turn again.
    expect((await client.say('help')).replies[0].text).not.toMatch(/on its way to the MASH/);

    const mine = await client.say('my referrals');
    expect(mine.replies[0].text).toContain(answer.reference);
    expect(mine.replies[0].text).toMatch(/strategy-discussion/);
    await service.stop();
    service = undefined;
  });

  it('survives kill -9 between submit and delivery, and delivers exactly once after restart', async () => {
    const dataDir = tempDataDir();
    const env = envFor(dataDir);
    const port = await freePort();
    service = await startService(env, port);
    stub.outage(120_000);
    const { clientReference } = await fileReferral('e2e-crash');
    expect(await service.stop('SIGKILL')).toBeNull();
    stub.outage(0);
    service = await startService(env, port);
    await until(delivered('e2e-crash'), 'the delivered message after restart');
    expect(stub.storedCount(clientReference)).toBe(1);
    await service.stop();
    service = undefined;
  });

  it('delivers partnership intelligence to POST /intelligence through the same outbox', async () => {
    service = await startService(envFor(tempDataDir()));
    const client = botClient(() => service!.url, connector, 'e2e-intelligence', { id: 'dsl-3', name: 'Test Teacher' });
    await client.join();
    for (const text of [
      'Share intelligence',
      'Two girls about 14 from Test School',
      'skip',
      'Grey Audi outside the chip shop',
      '1, missing',
      'Teacher',
      'Test School',
      'test.teacher@example.org',
    ]) {
      expect((await client.say(text)).status).toBe(200);
    }
    const sent = await client.say('Send it');
    const shared = sent.replies.find((r) => r.value?.type === 'safeguarding.intelligenceShared');
    const key = shared?.value?.clientReference as string;
    await until(() => (stub.storedCount(key) > 0 ? true : undefined), 'intelligence at the MASH');
    expect(stub.storedCount(key)).toBe(1);
    expect(stub.storedBody(key)).toMatchObject({ volt: { themes: ['cse', 'missing'] } });
    await service.stop();
    service = undefined;
  });
});
