import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { referralAnswers as answers, until } from './support/referralAnswers';
import { freePort, startService, tempDataDir, testKey, type ServiceProcess } from './support/serviceProcess';

/**
 * Issue 18 item 1 against the built service (`node dist/server/main.js`), embedded store: the referrer is
 * told the MASH reference even when the channel refuses it at that moment and the process is killed, and
 * "queued" is said only once the referral is in the outbox.
 */
const token = 'guarantees-mash-token-0123456789';
let stub: MashStub;
let connector: FakeConnector;
let service: ServiceProcess | undefined;
beforeEach(async () => {
  stub = await startMashStub({ token });
  connector = await startFakeConnector();
});
afterEach(async () => {
  await service?.stop('SIGKILL');
  service = undefined;
  await stub.close();
  await connector.close();
});

const deliveredNotices = (conversationId: string) =>
  connector.forConversation(conversationId).filter((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered');

async function fileUpToSubmit(conversationId: string) {
  const client = botClient(() => service!.url, connector, conversationId, { id: `user-${conversationId}`, name: 'Test Teacher' });
  await client.join();
  for (const text of answers) expect((await client.say(text)).status).toBe(200);
  return client;
}

describe('delivery guarantees (real process)', () => {
  it('tells the referrer the MASH reference once, after the channel refused it and the service was killed (F1)', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const env = { DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: token };
    service = await startService(env, port);
    const client = await fileUpToSubmit('f1-kill');
    stub.outage(2500); // the first attempts fail, so the channel is refused before the notice is sent
    const submitted = await client.say('Submit');
    expect(submitted.replies.some((r) => r.value?.status === 'queued')).toBe(true);
    connector.refuse('f1-kill', 503);
    await until(() => (stub.storedKeys().length === 1 ? true : undefined), 'the referral at the MASH', 20_000);
    await until(() => (/follow-up|proactive message not delivered/.test(service!.output()) ? true : undefined), 'a refused notice', 15_000);
    expect(deliveredNotices('f1-kill')).toHaveLength(0);

    expect(await service.stop('SIGKILL')).toBeNull();
    connector.refuse('f1-kill', undefined);
    service = await startService(env, port);
    await until(() => (deliveredNotices('f1-kill').length > 0 ? true : undefined), 'the delivered notice after the restart', 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    const notices = deliveredNotices('f1-kill');
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain(String(stub.answerFor(stub.storedKeys()[0])?.reference));
    expect(stub.storedCount(stub.storedKeys()[0])).toBe(1);
  }, 90_000);

  it('says "queued" only once the outbox has the referral, and queues it by itself when the outbox is back (F2)', async () => {
    const dataDir = tempDataDir();
    service = await startService({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), MASH_INTAKE_URL: stub.baseUrl, MASH_API_TOKEN: token });
    const client = await fileUpToSubmit('f2-outbox');
    // The outbox cannot be written for this one turn (the folder replaced by a file: fails even as root).
    const queue = join(dataDir, 'outbox', 'queue');
    renameSync(queue, `${queue}.away`);
    writeFileSync(queue, '');
    const submitted = await client.say('Submit');
    expect(submitted.status).toBe(200);
    const filed = submitted.replies.filter((r) => r.value?.type === 'safeguarding.referralFiled');
    expect(filed.map((r) => r.value?.status)).toEqual(['saved']);
    expect(filed[0].text).toMatch(/saved \(reference .+\) but I could not queue it/);
    expect(filed[0].text).not.toMatch(/\{\{|\{clientReference\}/);
    expect(stub.storedKeys()).toEqual([]);

    rmSync(queue);
    renameSync(`${queue}.away`, queue);
    // No further message from the professional: the background retry queues it and the worker delivers it.
    await until(() => (stub.storedKeys().length === 1 ? true : undefined), 'the referral at the MASH without another message', 30_000);
    await until(() => (deliveredNotices('f2-outbox').length > 0 ? true : undefined), 'the delivered notice', 20_000);
    expect(deliveredNotices('f2-outbox')).toHaveLength(1);
  }, 90_000);
});
