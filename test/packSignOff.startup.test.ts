import { freePort, runService, tempDataDir, testKey } from './support/serviceProcess';

describe('a production service runs only a signed-off guidance pack', () => {
  it('refuses to start while the pack\'s reviewedBy is empty, with one error line saying how to sign off', async () => {
    const env = {
      NODE_ENV: 'production', MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-used', STATE_ENCRYPTION_KEY: testKey(), DATA_DIR: tempDataDir(),
      PUBLIC_BASE_URL: 'https://bot.example.org', MASH_INTAKE_URL: 'https://mash.example.gov.uk/intake/v1', MASH_API_TOKEN: 'mash-token-0123456789', MASH_WEBHOOK_SECRET: 'w'.repeat(32), WEBCHAT_AUTH: 'off', METRICS_TOKEN: 'm'.repeat(24),
      BOT_TENANT_IDS: '11111111-1111-1111-1111-111111111111',
    };
    const { output, exited } = runService(env, await freePort());
    expect(await exited).toBe(1);
    const errors = output().trim().split('\n').filter((line) => line.startsWith('safeguarding-bot:'));
    expect(errors).toEqual([expect.stringMatching(/^safeguarding-bot: failed to start: SG-CONTENT-INVALID: pack gloucestershire@[\d.]+ has an empty reviewedBy: production needs a pack signed off by a safeguarding lead \(.*--sign-off "Name, role"\)$/)]);
  });
});
