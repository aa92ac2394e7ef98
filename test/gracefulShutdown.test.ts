import { botClient, questionIn } from './support/botClient';
import { startFakeConnector } from './support/fakeConnector';
import { freePort, startService, tempDataDir, testKey } from './support/serviceProcess';

describe('graceful shutdown', () => {
  it('finishes an in-flight turn, saves it, and exits 0 within 10 s of SIGTERM', async () => {
    const slowChannel = await startFakeConnector({ delayMs: 1500 });
    const env = { DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() };
    const port = await freePort();
    let service = await startService(env, port);
    const client = botClient(() => service.url, slowChannel, 'shutdown-conversation');
    try {
      const joined = await client.join();
      const inFlight = client.say('Who can I call?');
      await new Promise((r) => setTimeout(r, 300)); // the turn is now waiting on the slow channel
      const signalled = Date.now();
      const exited = service.stop('SIGTERM');
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.replies[0].text).toMatch(/01452 426565/);
      expect(await exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(service.output()).toMatch(/"msg":"stopped"/);

      service = await startService(env, port);
      const after = await client.say('help');
      expect(questionIn(after.replies).turnId).toBe(questionIn(joined.replies).turnId + 2);
    } finally {
      await service.stop();
      await slowChannel.close();
    }
  });

  it('refuses new requests while draining', async () => {
    const slowChannel = await startFakeConnector({ delayMs: 1500 });
    const service = await startService({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey() });
    const client = botClient(() => service.url, slowChannel, 'draining-conversation');
    try {
      const first = client.join();
      await new Promise((r) => setTimeout(r, 300));
      const exited = service.stop('SIGTERM');
      while (!service.output().includes('"msg":"shutting down"')) await new Promise((r) => setTimeout(r, 20));
      const late = await client.say('Who can I call?').then(
        (r) => r.status,
        () => 'connection refused' as const,
      );
      expect([503, 'connection refused']).toContain(late);
      expect((await first).status).toBe(200);
      expect(await exited).toBe(0);
    } finally {
      await slowChannel.close();
    }
  });
});
