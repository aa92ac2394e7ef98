import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { referralBody } from './support/mashFixtures';
import { referralAnswers, until } from './support/referralAnswers';
import { freePort, tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

/** `npm start` with no MASH configured: the service files into its own reference MASH at /mash. */
describe('the reference MASH mounted when MASH_INTAKE_URL is unset', () => {
  let connector: FakeConnector;
  let service: ServiceProcess;
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey() };
  let port: number;
  beforeAll(async () => {
    connector = await startFakeConnector();
    port = await freePort();
    service = await startInProcess(env, { port });
  });
  afterAll(async () => {
    await service?.stop();
    await connector.close();
  });

  const token = () => readFileSync(join(dataDir, 'reference-mash.token'), 'utf8').trim();
  const api = (path: string, init: RequestInit = {}, auth = true) =>
    fetch(`${service.url}/mash/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token()}` } : {}), ...(init.headers ?? {}) },
    });

  it('files a referral over HTTP, lets a person send a decision from /mash, and the referrer hears it', async () => {
    const client = botClient(() => service.url, connector, 'reference-mash-1', { id: 'dsl-2', name: 'Test Teacher' });
    await client.join();
    for (const text of referralAnswers) await client.say(text);
    await client.say('Submit');
    const delivered = await until(
      () => connector.forConversation('reference-mash-1').find((a) => a.value?.type === 'safeguarding.referralFiled' && a.value.status === 'delivered'),
      'delivery to the reference MASH',
    );
    const reference = delivered.value?.reference as string;
    expect(reference).toMatch(/^MASH-\d{4}-000001$/);

    const loginPage = await fetch(`${service.url}/mash`);
    expect(await loginPage.text()).toMatch(/Access token/);
    const login = await fetch(`${service.url}/mash/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token())}`,
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(';')[0];
    const listed = await (await fetch(`${service.url}/mash`, { headers: { cookie: session } })).text();
    expect(listed).toContain(reference);
    // The child's initial and age band, not their name, date of birth or identifiers; nor the referrer's contact details.
    expect(listed).toContain('T., aged');
    for (const personal of ['2012-03-14', '9434765919', 'GL1 2TG', 'test.teacher@example.org']) expect(listed).not.toContain(personal);
    const referralId = /name="referralId" value="([^"]+)"/.exec(listed)![1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(listed)![1];

    const sent = await fetch(`${service.url}/mash/events`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, referralId, type: 'referral.decision', outcome: 'assessment', note: 'Allocated today.' }).toString(),
    });
    expect(sent.status).toBe(303);
    const shown = await (await fetch(new URL(sent.headers.get('location')!, service.url), { headers: { cookie: session } })).text();
    expect(shown).toContain('the webhook answered 200');
    const update = await until(() => connector.forConversation('reference-mash-1').find((a) => a.value?.type === 'safeguarding.referralUpdate'), 'the decision');
    expect(update.value).toMatchObject({ reference, event: 'referral.decision', decision: { outcome: 'assessment', note: 'Allocated today.' } });
    expect(await (await api(`/referrals/${referralId}`)).json()).toMatchObject({ reference, status: 'decided', decision: { outcome: 'assessment' } });
  });

  it('implements the contract: auth, idempotent replay, 422 on a changed body, 400 with errors', async () => {
    const body = referralBody({ clientReference: 'ref-contract-0001' });
    expect((await api('/referrals', { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': body.clientReference } }, false)).status).toBe(401);
    const first = await api('/referrals', { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': body.clientReference } });
    expect(first.status).toBe(201);
    const answer = await first.json();
    const replay = await api('/referrals', { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': body.clientReference } });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(answer);
    const changed = await api('/referrals', { method: 'POST', body: JSON.stringify({ ...body, urgency: 'routine' }), headers: { 'idempotency-key': body.clientReference } });
    expect(changed.status).toBe(422);
    const invalid = await api('/referrals', { method: 'POST', body: JSON.stringify({ ...body, concern: { summary: 'x' } }), headers: { 'idempotency-key': 'ref-contract-0002' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('concern.summary');
  });

  it('keeps what arrived across a restart', async () => {
    await service.stop();
    service = await startInProcess(env, { port });
    const listed = await api('/referrals/unknown-id');
    expect(listed.status).toBe(404);
    const login = await fetch(`${service.url}/mash/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token())}`,
    });
    const page = await (await fetch(`${service.url}/mash`, { headers: { cookie: login.headers.get('set-cookie')!.split(';')[0] } })).text();
    expect(page).toMatch(/MASH-\d{4}-000001/);
    expect(page).toMatch(/MASH-\d{4}-000002/);
  });
});
