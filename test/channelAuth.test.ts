import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess } from './support/serviceInProcess';

describe('channel authentication', () => {
  it('refuses /api/messages without a Bot Framework token once an app id is configured', async () => {
    const service = await startInProcess({
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'test-only-not-a-secret',
    });
    try {
      const res = await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          text: 'hello',
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: 'u' },
          recipient: { id: 'bot' },
          conversation: { id: 'c' },
        }),
      });
      expect(res.status).toBe(401);
    } finally {
      await service.stop();
    }
    expect(service.output()).not.toContain('test-only-not-a-secret');
  });
});
