import { randomBytes } from 'node:crypto';
import { listenHost, loadConfig, referenceMashEnabled, withDefaultMode } from './config';

/** A production configuration that passes every check; each test breaks one thing. */
const safe = {
  NODE_ENV: 'production',
  MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
  MicrosoftAppPassword: 'not-used',
  STATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PUBLIC_BASE_URL: 'https://bot.example.org',
  MASH_INTAKE_URL: 'https://mash.example.gov.uk/intake/v1',
  MASH_API_TOKEN: 'mash-token-0123456789',
  MASH_WEBHOOK_SECRET: 'w'.repeat(32),
  WEBCHAT_AUTH: 'off',
  METRICS_TOKEN: 'm'.repeat(24),
  BOT_TENANT_IDS: '11111111-1111-1111-1111-111111111111',
};

/** The one-line error loadConfig throws, or undefined when the configuration is accepted. */
function refusal(env: Record<string, string | undefined>): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('production refuses unsafe settings, one line naming the variable', () => {
  it('accepts the safe production configuration', () => {
    expect(refusal(safe)).toBeUndefined();
  });

  it('refuses production without MASH_INTAKE_URL (referrals would reach no MASH)', () => {
    const message = refusal({ ...safe, MASH_INTAKE_URL: undefined, MASH_API_TOKEN: undefined });
    expect(message).toMatch(/^SG-CONFIG-INVALID: MASH_INTAKE_URL is required when NODE_ENV=production/);
    expect(message?.split('\n')).toHaveLength(1);
  });

  it('refuses the reference MASH in production even when asked for', () => {
    expect(refusal({ ...safe, MASH_INTAKE_URL: undefined, MASH_API_TOKEN: undefined, MASH_REFERENCE: 'on' })).toMatch(
      /^SG-CONFIG-INVALID: MASH_REFERENCE must not be on when NODE_ENV=production/,
    );
    expect(refusal({ ...safe, MASH_REFERENCE: 'on' })).toMatch(/^SG-CONFIG-INVALID: MASH_REFERENCE must not be on/);
  });

  it.each([
    ['MASH_INTAKE_URL', 'http://mash.example.gov.uk/intake/v1'],
    ['PUBLIC_BASE_URL', 'http://bot.example.org'],
    ['BOT_OPENID_METADATA_URL', 'http://127.0.0.1:9/v1/.well-known/openidconfiguration'],
    ['TEAMS_SSO_JWKS_URL', 'http://login.example.org/keys'],
  ])('refuses %s over http', (key, value) => {
    const message = refusal({ ...safe, [key]: value });
    expect(message).toMatch(new RegExp(`^SG-CONFIG-INVALID: ${key} must be an https:// URL when NODE_ENV=production`));
    expect(message?.split('\n')).toHaveLength(1);
  });

  it('refuses the MASH OAuth2 token URL over http', () => {
    const oauth = { MASH_API_TOKEN: undefined, MASH_TOKEN_URL: 'http://login.example.org/token', MASH_CLIENT_ID: 'bot', MASH_CLIENT_SECRET: 'secret' };
    expect(refusal({ ...safe, ...oauth })).toMatch(/^SG-CONFIG-INVALID: MASH_TOKEN_URL must be an https:\/\/ URL/);
  });

  it('refuses an OIDC issuer or redirect over http', () => {
    const oidc = {
      WEBCHAT_AUTH: 'oidc',
      OIDC_ISSUER: 'https://login.example.org',
      OIDC_CLIENT_ID: 'bot',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_REDIRECT_URL: 'https://bot.example.org/signin/callback',
    };
    expect(refusal({ ...safe, ...oidc })).toBeUndefined();
    expect(refusal({ ...safe, ...oidc, OIDC_ISSUER: 'http://login.example.org' })).toMatch(/^SG-CONFIG-INVALID: OIDC_ISSUER must be an https:\/\/ URL/);
    expect(refusal({ ...safe, ...oidc, OIDC_REDIRECT_URL: 'http://bot.example.org/signin/callback' })).toMatch(/^SG-CONFIG-INVALID: OIDC_REDIRECT_URL must be an https:\/\/ URL/);
  });

  it("refuses the coordinators' Teams service URL over http", () => {
    expect(refusal({ ...safe, COORDINATOR_TEAMS_CHANNEL_ID: '19:abc@thread.tacv2', COORDINATOR_SERVICE_URL: 'http://smba.example.net/uk/' })).toMatch(
      /^SG-CONFIG-INVALID: COORDINATOR_SERVICE_URL must be an https:\/\/ URL/,
    );
  });

  it('refuses production without a public origin', () => {
    expect(refusal({ ...safe, PUBLIC_BASE_URL: undefined })).toMatch(/^SG-CONFIG-INVALID: PUBLIC_BASE_URL is required when NODE_ENV=production/);
  });

  it('refuses local sign-in in production, explicit or by default, and takes oidc or off', () => {
    expect(refusal({ ...safe, WEBCHAT_AUTH: 'local' })).toMatch(/^SG-CONFIG-INVALID: WEBCHAT_AUTH must be oidc or off when NODE_ENV=production/);
    expect(refusal({ ...safe, WEBCHAT_AUTH: undefined })).toMatch(/^SG-CONFIG-INVALID: WEBCHAT_AUTH must be oidc or off/);
    expect(refusal({ ...safe, WEBCHAT_AUTH: 'off' })).toBeUndefined();
  });

  it('refuses production without BOT_TENANT_IDS (pen test M3: Teams activities from any tenant)', () => {
    expect(refusal({ ...safe, BOT_TENANT_IDS: undefined })).toMatch(/^SG-CONFIG-INVALID: BOT_TENANT_IDS is required when NODE_ENV=production/);
    expect(loadConfig({ ...safe, BOT_TENANT_IDS: 'AAAA1111-1111-1111-1111-111111111111, bbbb2222-2222-2222-2222-222222222222' }).BOT_TENANT_IDS).toHaveLength(2);
    expect(loadConfig({ NODE_ENV: 'test' }).BOT_TENANT_IDS).toEqual([]);
  });

  it('leaves development and test alone: http, local sign-in and the reference MASH are fine there', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const config = loadConfig({ NODE_ENV, MASH_INTAKE_URL: 'http://127.0.0.1:9/v1', MASH_API_TOKEN: 'token-123' });
      expect(config.WEBCHAT_AUTH).toBe('local');
      expect(referenceMashEnabled(loadConfig({ NODE_ENV }))).toBe(true);
      expect(referenceMashEnabled(loadConfig({ NODE_ENV, MASH_REFERENCE: 'off' }))).toBe(false);
    }
  });
});

describe('REFERRALS=phone: a partnership without an intake API (issue 18 item 3)', () => {
  const phone = { ...safe, MASH_INTAKE_URL: undefined, MASH_API_TOKEN: undefined, MASH_WEBHOOK_SECRET: undefined, REFERRALS: 'phone' };

  it('lets production start without MASH_INTAKE_URL when referrals are phoned through', () => {
    expect(refusal(phone)).toBeUndefined();
    expect(loadConfig(phone).REFERRALS).toBe('phone');
    expect(loadConfig(safe).REFERRALS).toBe('mash');
  });

  it('names REFERRALS=phone in the refusal that asks for MASH_INTAKE_URL', () => {
    expect(refusal({ ...phone, REFERRALS: undefined })).toMatch(/MASH_INTAKE_URL is required when NODE_ENV=production .*REFERRALS=phone/);
  });

  it('refuses phone beside an intake URL, and an unknown mode', () => {
    expect(refusal({ ...safe, REFERRALS: 'phone' })).toMatch(/^SG-CONFIG-INVALID: REFERRALS must be mash when MASH_INTAKE_URL is set/);
    expect(refusal({ REFERRALS: 'email' })).toMatch(/^SG-CONFIG-INVALID: REFERRALS must be mash or phone/);
  });

  it('never builds the reference MASH in phone mode, even in development', () => {
    expect(referenceMashEnabled(loadConfig({ NODE_ENV: 'development', REFERRALS: 'phone' }))).toBe(false);
  });
});

describe('METRICS_TOKEN and REDIS_URL in production (pen test M6, M5)', () => {
  it('refuses production without METRICS_TOKEN, naming it', () => {
    const message = refusal({ ...safe, METRICS_TOKEN: undefined });
    expect(message).toMatch(/^SG-CONFIG-INVALID: METRICS_TOKEN is required when NODE_ENV=production/);
    expect(message?.split('\n')).toHaveLength(1);
    expect(refusal({ NODE_ENV: 'development' })).toBeUndefined();
  });

  it('refuses redis:// to a host that is not loopback, unless REDIS_TLS=off-private-network', () => {
    expect(refusal({ ...safe, REDIS_URL: 'redis://redis.internal:6379/0' })).toMatch(/^SG-CONFIG-INVALID: REDIS_URL must be rediss:\/\/ \(TLS\) when NODE_ENV=production/);
    expect(refusal({ ...safe, REDIS_URL: 'redis://10.0.0.7:6379' })).toMatch(/REDIS_URL must be rediss:/);
    expect(refusal({ ...safe, REDIS_URL: 'redis://redis.internal:6379/0', REDIS_TLS: 'off-private-network' })).toBeUndefined();
    for (const url of ['rediss://redis.example.net:6380', 'redis://127.0.0.1:6379/2', 'redis://localhost:6379', 'redis://[::1]:6379'])
      expect(refusal({ ...safe, REDIS_URL: url })).toBeUndefined();
    expect(refusal({ NODE_ENV: 'development', REDIS_URL: 'redis://redis.internal:6379' })).toBeUndefined();
    expect(refusal({ REDIS_TLS: 'off' })).toMatch(/REDIS_TLS must be required or off-private-network/);
  });

  it('never echoes the Redis URL (it may hold a password)', () => {
    expect(refusal({ ...safe, REDIS_URL: 'redis://:hunter2secret@redis.internal:6379' })).not.toContain('hunter2secret');
  });
});

describe('mode and listen address', () => {
  it('defaults the service to production; --dev (npm start) gives development; an explicit NODE_ENV wins', () => {
    expect(withDefaultMode({}, []).NODE_ENV).toBe('production');
    expect(withDefaultMode({}, ['--dev']).NODE_ENV).toBe('development');
    expect(withDefaultMode({ NODE_ENV: 'test' }, ['--dev']).NODE_ENV).toBe('test');
    expect(withDefaultMode({ NODE_ENV: 'production' }, ['--dev']).NODE_ENV).toBe('production');
  });

  it('listens on loopback outside production unless HOST says otherwise; production on HOST or everywhere', () => {
    expect(listenHost(loadConfig({ NODE_ENV: 'development' }))).toBe('127.0.0.1');
    expect(listenHost(loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(listenHost(loadConfig(safe))).toBeUndefined();
    expect(listenHost(loadConfig({ ...safe, HOST: '10.0.0.5' }))).toBe('10.0.0.5');
  });
});

describe('TRUST_PROXY', () => {
  it('is nothing by default, a hop count, or a list of addresses and CIDRs', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
  });

  it.each(['0', 'yes', '10.0.0.0/33', 'proxy.example.org'])('refuses %s with one line naming it', (value) => {
    expect(refusal({ TRUST_PROXY: value })).toMatch(/^SG-CONFIG-INVALID: TRUST_PROXY must be a hop count from 1 to 10 or a comma-separated list/);
  });
});

describe('MASH_TIMEOUT_MS (reliability review, smaller notes)', () => {
  it('defaults to 6 s and takes a value under the 10 s shutdown budget', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).MASH_TIMEOUT_MS).toBe(6000);
    expect(loadConfig({ NODE_ENV: 'test', MASH_TIMEOUT_MS: '2500' }).MASH_TIMEOUT_MS).toBe(2500);
  });

  it.each(['10000', '8001', '999', 'soon', '2.5'])('refuses %s with one line naming it and the shutdown budget', (value) => {
    expect(refusal({ NODE_ENV: 'test', MASH_TIMEOUT_MS: value })).toMatch(
      /^SG-CONFIG-INVALID: MASH_TIMEOUT_MS must be a whole number of milliseconds from 1000 to 8000 \(under the 10 s shutdown budget\)/,
    );
  });
});
