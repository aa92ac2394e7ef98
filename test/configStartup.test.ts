import { freePort, productionEnv, runService, tempDataDir, testKey } from './support/serviceProcess';

/** Starts the service with a bad setting and returns how it stopped. */
async function startWith(env: Record<string, string>) {
  const { output, exited } = runService({ DATA_DIR: tempDataDir(), ...env }, await freePort());
  const code = await exited;
  return { code, output: output().trim() };
}

describe('configuration at start-up', () => {
  it('stops on a bad PORT with one line naming it', async () => {
    const { code, output } = await startWith({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(/configuration error: .*PORT must be a whole number from 1 to 65535/);
  });

  it('stops on a bad STATE_ENCRYPTION_KEY without echoing it', async () => {
    const { code, output } = await startWith({ STATE_ENCRYPTION_KEY: 'not-a-real-key-secret' });
    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(/STATE_ENCRYPTION_KEY must be the base64 of exactly 32 random bytes/);
    expect(output).not.toContain('not-a-real-key-secret');
  });

  it('stops on a traces exporter it does not ship with one line naming the OTEL_* variable (tracing loads first)', async () => {
    const { code, output } = await startWith({ OTEL_TRACES_EXPORTER: 'zipkin' });
    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(/^safeguarding-bot: configuration error: SG-CONFIG-INVALID: OTEL_TRACES_EXPORTER must be otlp, console or none$/);
  });

  it('refuses local mode (no app id) in production', async () => {
    const { code, output } = await startWith({ NODE_ENV: 'production', STATE_ENCRYPTION_KEY: testKey() });
    expect(code).toBe(1);
    expect(output).toMatch(/MicrosoftAppId is required when NODE_ENV=production/);
  });
});

/** Production settings that pass every check (the pack sign-off comes after the configuration). */
const production = productionEnv;

describe('production refuses unsafe settings at start-up (pen test H1, M4, M5)', () => {
  it.each([
    ['no MASH intake', { MASH_INTAKE_URL: '' }, /MASH_INTAKE_URL is required when NODE_ENV=production/],
    ['the reference MASH', { MASH_REFERENCE: 'on' }, /MASH_REFERENCE must not be on when NODE_ENV=production/],
    ['an http MASH intake', { MASH_INTAKE_URL: 'http://mash.example.gov.uk/intake/v1' }, /MASH_INTAKE_URL must be an https:\/\/ URL when NODE_ENV=production/],
    ['an http public origin', { PUBLIC_BASE_URL: 'http://bot.example.org' }, /PUBLIC_BASE_URL must be an https:\/\/ URL/],
    ['local sign-in', { WEBCHAT_AUTH: 'local' }, /WEBCHAT_AUTH must be oidc or off when NODE_ENV=production/],
    ['no metrics token', { METRICS_TOKEN: '' }, /METRICS_TOKEN is required when NODE_ENV=production/],
    ['redis:// to another host', { REDIS_URL: 'redis://redis.internal:6379/0' }, /REDIS_URL must be rediss:\/\/ \(TLS\) when NODE_ENV=production/],
  ])('stops on %s with one line naming the variable and exit code 1', async (_what, unsafe, message) => {
    const { code, output } = await startWith({ ...production(), ...unsafe });
    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(new RegExp(`^safeguarding-bot: configuration error: SG-CONFIG-INVALID: ${message.source}`));
  });

  it('starts without MASH_INTAKE_URL when REFERRALS=phone: the configuration passes and only the pack sign-off gate follows', async () => {
    const { code, output } = await startWith({ ...production(), MASH_INTAKE_URL: '', MASH_API_TOKEN: '', MASH_WEBHOOK_SECRET: '', REFERRALS: 'phone' });
    expect(output).not.toMatch(/configuration error/);
    // The repository's pack is not signed off, so a production start stops at the next gate, after the configuration.
    expect(code).toBe(1);
    expect(output.split('\n').filter((line) => line.startsWith('safeguarding-bot:'))).toEqual([
      expect.stringMatching(/^safeguarding-bot: failed to start: SG-CONTENT-INVALID: pack .* has an empty reviewedBy/),
    ]);
  });

  it('defaults to production when NODE_ENV is unset (node dist/server/main.js)', async () => {
    const { code, output } = await startWith({ NODE_ENV: '' });
    expect(code).toBe(1);
    expect(output).toMatch(/MicrosoftAppId is required when NODE_ENV=production/);
  });
});

describe('web chat sign-in settings', () => {
  it('names the missing OIDC setting when WEBCHAT_AUTH=oidc', async () => {
    const { code, output } = await startWith({
      WEBCHAT_AUTH: 'oidc',
      OIDC_ISSUER: 'https://login.example.org',
      OIDC_CLIENT_ID: 'bot',
      OIDC_REDIRECT_URL: 'https://bot.example.org/signin/callback',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/OIDC_CLIENT_SECRET is required when WEBCHAT_AUTH=oidc/);
  });

  it('refuses an unknown sign-in mode', async () => {
    const { code, output } = await startWith({ WEBCHAT_AUTH: 'password' });
    expect(code).toBe(1);
    expect(output).toMatch(/WEBCHAT_AUTH must be local, oidc or off/);
  });
});

describe('configuration ranges', () => {
  it('stops on a MASH_SCHEMA_VERSION other than 1 or 2 with one line naming it', async () => {
    const { code, output } = await startWith({ MASH_SCHEMA_VERSION: '3' });
    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(/MASH_SCHEMA_VERSION must be 1 or 2/);
  });

  it('refuses a port out of range', async () => {
    const { code, output } = await startWith({ PORT: '70000' });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT must be a whole number from 1 to 65535/);
  });
});
