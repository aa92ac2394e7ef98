import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { channelIdentityGate } from '../server/channelIdentity';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { signInLocally, webChatToken } from './support/webSignIn';

/**
 * Pen test M3: "my referrals" of a web chat professional could be read through /api/messages by a caller
 * claiming `channelId: "webchat"` and their id. /api/messages now takes only Teams (from allow-listed
 * tenants) and, outside production, the Emulator; the web chat keeps `webchat` on its own endpoint.
 */
const tenant = '11111111-1111-1111-1111-111111111111';
let service: ServiceProcess;
let connector: FakeConnector;

beforeAll(async () => {
  connector = await startFakeConnector();
  service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), BOT_TENANT_IDS: tenant });
});
afterAll(async () => {
  await service?.stop();
  await connector?.close();
});

function post(activity: Record<string, unknown>) {
  return fetch(`${service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', serviceUrl: connector.url, recipient: { id: 'bot' }, ...activity }),
  });
}

it('refuses webchat, directline and made-up channel ids with 403, and runs no turn (the "my referrals" of a web chat user stay theirs)', async () => {
  const cookie = await signInLocally(service.url);
  const { userId } = await webChatToken(service.url, cookie);
  for (const channelId of ['webchat', 'directline', 'test', 'slack']) {
    const conversation = `attacker-${channelId}`;
    const res = await post({ channelId, conversation: { id: conversation }, from: { id: userId }, text: 'my referrals' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'SG-AUTH-CHANNEL-NOT-ALLOWED', detail: 'Only msteams and emulator may post here.' });
    expect(connector.forConversation(conversation)).toEqual([]);
  }
});

it('takes the Emulator outside production, and Teams only from a tenant in BOT_TENANT_IDS', async () => {
  expect((await post({ channelId: 'emulator', conversation: { id: 'emu-1' }, from: { id: 'u1' }, text: 'help' })).status).toBe(200);
  const teams = (conversation: string, channelData?: unknown) =>
    post({ channelId: 'msteams', conversation: { id: conversation }, from: { id: '29:u', aadObjectId: '6b5f4c3e-0000-4000-8000-000000000002' }, text: 'help', channelData });
  expect((await teams('teams-ok', { tenant: { id: tenant.toUpperCase() } })).status).toBe(200);
  const foreign = await teams('teams-foreign', { tenant: { id: '22222222-2222-2222-2222-222222222222' } });
  expect(foreign.status).toBe(403);
  expect(await foreign.json()).toMatchObject({ code: 'SG-AUTH-CHANNEL-NOT-ALLOWED', detail: 'This Microsoft 365 organisation is not served by this bot.' });
  expect((await teams('teams-none')).status).toBe(403);
  expect(connector.forConversation('teams-foreign')).toEqual([]);
  expect(connector.forConversation('teams-none')).toEqual([]);
});

it('takes Teams only in production (the Emulator is refused there)', async () => {
  const app = express();
  app.use(express.json());
  app.post('/api/messages', channelIdentityGate({ production: true, tenantIds: [tenant], logger: pino({ level: 'silent' }) }), (_req, res) => void res.json({ ran: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    const send = (channelId: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId, channelData: { tenant: { id: tenant } } }) });
    expect((await send('emulator')).status).toBe(403);
    expect((await send('msteams')).status).toBe(200);
  } finally {
    server.close();
  }
});
