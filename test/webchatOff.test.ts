import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

/** WEBCHAT_AUTH=off: a Teams-only deployment serves no web chat and no web sign-in at all. */
describe('WEBCHAT_AUTH=off', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), WEBCHAT_AUTH: 'off' });
  });
  afterAll(() => service?.stop());

  it('mounts neither the chat page, the sign-in nor the token route; the bot endpoint and health stay', async () => {
    for (const path of ['/', '/signin']) expect((await fetch(`${service.url}${path}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${service.url}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(service.output()).toContain('web chat is off (WEBCHAT_AUTH=off)');
  });
});
