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
    expect(refusal({ ...safe, MASH_INTAKE_URL: undefined, MASH_API_TOKEN: undefined, MASH_REFERENCE: 'on' })).toMatch(/^SG-CONFIG-INVALID: MASH_REFERENCE must not be on when NODE_ENV=production/);
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
    const oidc = { WEBCHAT_AUTH: 'oidc', OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'bot', OIDC_CLIENT_SECRET: 'secret', OIDC_REDIRECT_URL: 'https://bot.example.org/signin/callback' };
    expect(refusal({ ...safe, ...oidc })).toBeUndefined();
    expect(refusal({ ...safe, ...oidc, OIDC_ISSUER: 'http://login.example.org' })).toMatch(/^SG-CONFIG-INVALID: OIDC_ISSUER must be an https:\/\/ URL/);
    expect(refusal({ ...safe, ...oidc, OIDC_REDIRECT_URL: 'http://bot.example.org/signin/callback' })).toMatch(/^SG-CONFIG-INVALID: OIDC_REDIRECT_URL must be an https:\/\/ URL/);
  });

  it('refuses the coordinators\' Teams service URL over http', () => {
    expect(refusal({ ...safe, COORDINATOR_TEAMS_CHANNEL_ID: '19:abc@thread.tacv2', COORDINATOR_SERVICE_URL: 'http://smba.example.net/uk/' })).toMatch(/^SG-CONFIG-INVALID: COORDINATOR_SERVICE_URL must be an https:\/\/ URL/);
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
