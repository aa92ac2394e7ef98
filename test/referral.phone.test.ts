import { expect } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { referralAnswers as answers } from './support/referralAnswers';

/** Files under a folder, recursively (absent folder: none). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('REFERRALS=phone through the service (issue 18 item 3)', () => {
  let connector: FakeConnector;
  let service: ServiceProcess | undefined;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    connector = await startFakeConnector();
    service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), REFERRALS: 'phone' });
  });
  afterAll(async () => {
    await service?.stop();
    await connector.close();
  });

  it('gives the phone route and the record, queues nothing, and lists the referral under "my referrals"', async () => {
    const client = botClient(() => service!.url, connector, 'phone-referral', { id: 'dsl-1', name: 'Test Teacher' });
    await client.join();
    for (const text of answers) expect((await client.say(text)).status).toBe(200);
    const { replies } = await client.say('Submit');
    const filed = replies.find((r) => r.value?.type === 'safeguarding.referralFiled');
    expect(filed?.value).toMatchObject({ status: 'phone', clientReference: expect.stringMatching(/^SG-/) });
    const clientReference = filed?.value?.clientReference as string;
    expect(filed!.text).toMatch(/Phone now: .*01452 (426565|614194)/);
    const record = replies.find((r) => r.value?.type === 'safeguarding.referralRecord');
    expect(record?.text).toContain(`Referral record ${clientReference}`);
    expect(record?.text).toMatch(/- First name: Test\n- Last name: Child/);

    // No MASH: no reference MASH mounted, nothing in the outbox.
    expect((await fetch(`${service!.url}/mash`)).status).toBe(404);
    expect(filesUnder(join(dataDir, 'outbox', 'queue'))).toEqual([]);
    expect(existsSync(join(dataDir, 'reference-mash'))).toBe(false);

    const listed = await client.say('my referrals');
    const mine = listed.replies.find((r) => r.value?.event === 'my-referrals');
    expect(mine?.value?.referrals).toEqual([expect.objectContaining({ clientReference, status: 'phone' })]);
    expect(mine?.text).toContain(`${clientReference}, filed`);
    expect(mine?.text).toMatch(/to phone through to the MASH/);
    expect(service!.output()).toMatch(/REFERRALS=phone: referrals are phoned through/);
  });
});
