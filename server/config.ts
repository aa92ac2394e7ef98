import { isIP } from 'node:net';
import { z } from 'zod';
import { DomainError } from '../flows';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const base64Key = z.string().refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32, {
  message: 'must be the base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)',
});

/** A comma-separated list of identity ids (Entra object ids, OIDC subjects) or group ids from the token. */
const idList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .max(200)
        .regex(/^[\w.@:+-]+$/, 'must be a comma-separated list of ids (letters, digits and . _ @ : + -)'),
    ),
  )
  .default([]);

/**
 * `TRUST_PROXY`: how many proxies in front of the service (`1`) or which addresses and CIDRs are proxies
 * (`10.0.0.0/8,127.0.0.1`). Express then takes the client address from X-Forwarded-For for the rate
 * limits and the /metrics guard. Unset: nothing is trusted and the socket address counts.
 */
const trustProxy = z
  .string()
  .transform((value): number | string[] =>
    /^\d+$/.test(value.trim())
      ? Number(value.trim())
      : value
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
  )
  .refine((value) => (typeof value === 'number' ? value >= 1 && value <= 10 : value.length > 0 && value.every(isAddressOrCidr)), {
    message: 'must be a hop count from 1 to 10 or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8)',
  })
  .optional();

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Endpoints the service sends credentials, tokens or personal data to, or trusts keys and identities
 * from: production takes https only (a network attacker could read or forge them otherwise).
 */
export const httpsOnlyInProduction = [
  'PUBLIC_BASE_URL',
  'MASH_INTAKE_URL',
  'MASH_TOKEN_URL',
  'OIDC_ISSUER',
  'OIDC_REDIRECT_URL',
  'BOT_OPENID_METADATA_URL',
  'TEAMS_SSO_JWKS_URL',
  'COORDINATOR_SERVICE_URL',
] as const;

/** Every setting the service reads, with the names botbuilder gave the Bot Framework ones (kept: a contract). */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Listen address. Unset: 127.0.0.1 outside production (a laptop), every interface in production. */
    HOST: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\w.:-]+$/, 'must be an address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0')
      .optional(),
    TRUST_PROXY: trustProxy,
    PORT: z.coerce
      .number({ message: 'must be a whole number from 1 to 65535' })
      .int('must be a whole number from 1 to 65535')
      .min(1, 'must be a whole number from 1 to 65535')
      .max(65535, 'must be a whole number from 1 to 65535')
      .default(3978),
    DATA_DIR: z.string().min(1).default('./data'),
    /**
     * Embedded store: the longest its group-commit journal keeps an entry before a checkpoint deletes it
     * (the journal holds ciphertext of documents, erased ones included, until then). Bounded so an erasure
     * does not linger; a shorter time costs more fsyncs.
     */
    EMBEDDED_JOURNAL_CHECKPOINT_SECONDS: z.coerce
      .number({ message: 'must be a whole number of seconds from 1 to 3600' })
      .int('must be a whole number of seconds from 1 to 3600')
      .min(1, 'must be a whole number of seconds from 1 to 3600')
      .max(3600, 'must be a whole number of seconds from 1 to 3600')
      .default(60),
    REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
    /**
     * `off-private-network`: production accepts `redis://` (no TLS) to a Redis that is not on loopback,
     * for a Redis reached only over a private network the operator vouches for (a sidecar, a private link).
     */
    REDIS_TLS: z.enum(['required', 'off-private-network'], { message: 'must be required or off-private-network' }).default('required'),
    // Every key this instance writes is put under it (ioredis keyPrefix): lets the benchmark share a db and delete only its own keys.
    REDIS_KEY_PREFIX: z
      .string()
      .max(64)
      .regex(/^[\w.:-]*$/, 'must be letters, digits and . _ : - only')
      .optional(),
    /**
     * How long a Redis command may take before it fails (reliability F4): a frozen Redis then fails a
     * turn with the apology and /readyz says 503 within seconds, instead of hanging both.
     */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds from 100 to 60000' })
      .int('must be a whole number of milliseconds from 100 to 60000')
      .min(100, 'must be a whole number of milliseconds from 100 to 60000')
      .max(60_000, 'must be a whole number of milliseconds from 100 to 60000')
      .default(3000),
    /**
     * `checked` (default): at start the service reads `INFO persistence` / `INFO memory` and refuses
     * production without AOF and `maxmemory-policy noeviction`. `attested`: the operator vouches for
     * both on a managed Redis that hides them.
     */
    REDIS_PERSISTENCE: z.enum(['checked', 'attested'], { message: 'must be checked or attested' }).default('checked'),
    /** How often each instance checks the deployment marker (store reset detection); at most 30000 ms. */
    STORE_MARKER_CHECK_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds from 200 to 30000' })
      .int('must be a whole number of milliseconds from 200 to 30000')
      .min(200, 'must be a whole number of milliseconds from 200 to 30000')
      .max(30_000, 'must be a whole number of milliseconds from 200 to 30000')
      .default(10_000),
    STATE_ENCRYPTION_KEY: base64Key.optional(),
    /** Key rotation: the first key encrypts, every key decrypts (`npm run keys:rotate` retires the rest). */
    STATE_ENCRYPTION_KEYS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((key) => key.trim())
          .filter(Boolean),
      )
      .pipe(z.array(base64Key).min(1, 'must list at least one key'))
      .optional(),
    MicrosoftAppId: z.string().default(''),
    MicrosoftAppPassword: z.string().default(''),
    MicrosoftAppTenantId: z.string().default(''),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    /** Where the channel's signing keys are published (OpenID metadata); unset: the Bot Framework's own. */
    BOT_OPENID_METADATA_URL: z.url({ message: 'must be the URL of an OpenID configuration document' }).optional(),
    LOG_LEVEL: z.enum(logLevels, { message: `must be one of ${logLevels.join(', ')}` }).default('info'),
    DIRECTLINE_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
    DIRECTLINE_TOKEN_KEY: base64Key.optional(),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://bot.example.org' }).optional(),
    MASH_INTAKE_URL: z.url({ protocol: /^https?$/, message: 'must be the http(s) base URL of the MASH intake API' }).optional(),
    MASH_API_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
    MASH_TOKEN_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    MASH_CLIENT_ID: z.string().min(1).optional(),
    MASH_CLIENT_SECRET: z.string().min(1).optional(),
    MASH_SCOPE: z.string().min(1).optional(),
    MASH_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * The referral schema version the MASH takes (docs/mash-intake.openapi.yaml). At 1, a referral that
     * needs version 2 is never sent (a v1 MASH refuses it): it is parked for a coordinator and the
     * referrer is told to phone. Unset: 1 with MASH_INTAKE_URL, 2 for the embedded reference MASH (it takes both).
     */
    /**
     * How referrals reach the MASH. `mash`: queued for the intake API (MASH_INTAKE_URL). `phone`: a
     * partnership without an intake API: the referral flow gives the line to phone now and a record of the
     * referral to read from, and nothing is queued.
     */
    REFERRALS: z.enum(['mash', 'phone'], { message: 'must be mash or phone' }).default('mash'),
    /** The built-in reference MASH, for development only. Unset: on outside production when MASH_INTAKE_URL is unset. */
    MASH_REFERENCE: z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
    MASH_SCHEMA_VERSION: z.enum(['1', '2'], { message: 'must be 1 or 2 (the referral schema version the MASH accepts)' }).optional(),
    OUTBOX_CLAIM_IDLE_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(1000, 'must be at least 1000 ms').default(60_000),
    MASH_RETRY_HOURS: z.coerce.number({ message: 'must be a number of hours greater than 0' }).positive('must be a number of hours greater than 0').default(24),
    /** After the retry budget: how often parked referrals are tried again by themselves (the MASH may be back). */
    MASH_PARKED_PROBE_MINUTES: z.coerce.number({ message: 'must be a number of minutes greater than 0' }).positive('must be a number of minutes greater than 0').default(15),
    // How long one MASH request may take (reliability review, smaller notes). Kept under the 10 s shutdown budget so a stop never waits on a hung MASH.
    MASH_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds from 1000 to 8000 (under the 10 s shutdown budget)' })
      .int('must be a whole number of milliseconds from 1000 to 8000 (under the 10 s shutdown budget)')
      .min(1000, 'must be a whole number of milliseconds from 1000 to 8000 (under the 10 s shutdown budget)')
      .max(8000, 'must be a whole number of milliseconds from 1000 to 8000 (under the 10 s shutdown budget)')
      .default(6000),
    /** [check] with the partnership: hours after delivery without a MASH acknowledgement before the referrer and a coordinator are told. */
    MASH_ACK_HOURS_IMMEDIATE: z.coerce.number({ message: 'must be a number of hours greater than 0' }).positive('must be a number of hours greater than 0').default(4),
    MASH_ACK_HOURS: z.coerce.number({ message: 'must be a number of hours greater than 0' }).positive('must be a number of hours greater than 0').default(72),
    /** How long a notice to a referrer (delivered, parked, a MASH update) is retried while their channel does not take it. */
    NOTICE_RETRY_HOURS: z.coerce.number({ message: 'must be a number of hours greater than 0' }).positive('must be a number of hours greater than 0').default(72),
    /** `off`: no web chat at all (a Teams-only deployment). */
    WEBCHAT_AUTH: z.enum(['local', 'oidc', 'off'], { message: 'must be local, oidc or off' }).default('local'),
    OIDC_ISSUER: z.url({ protocol: /^https?$/, message: 'must be the http(s) issuer URL of the identity provider' }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_REDIRECT_URL: z
      .url({ protocol: /^https?$/, message: "must be the http(s) URL of this service's sign-in callback, e.g. https://bot.example.org/signin/callback" })
      .optional(),
    OIDC_SCOPES: z
      .string()
      .regex(/^openid( [\w:./-]+)*$/, 'must be space-separated scopes starting with openid')
      .default('openid profile email'),
    COORDINATOR_IDS: idList,
    COORDINATOR_TEAMS_CHANNEL_ID: z
      .string()
      .max(200)
      .regex(/^[\w:@.;=-]+$/, 'must be a Teams channel id like 19:abc@thread.tacv2')
      .optional(),
    COORDINATOR_SERVICE_URL: z.url({ protocol: /^https?$/, message: 'must be the Teams service URL, e.g. https://smba.trafficmanager.net/uk/' }).optional(),
    PARTNERSHIP_LEAD_IDS: idList,
    ADMIN_IDS: idList,
    TEAMS_SSO_TENANT_IDS: idList,
    /** Pen test M2: nothing from one sign-in (session cookie, Direct Line tokens however refreshed) lives longer. */
    SESSION_MAX_HOURS: z.coerce
      .number({ message: 'must be a number of hours from 1 to 24' })
      .min(1, 'must be a number of hours from 1 to 24')
      .max(24, 'must be a number of hours from 1 to 24')
      .default(12),
    /** Entra tenants whose Teams activities /api/messages takes (pen test M3). Unset: any tenant (refused in production). */
    BOT_TENANT_IDS: idList,
    TEAMS_SSO_JWKS_URL: z
      .url({ protocol: /^https?$/, message: 'must be the http(s) URL of the Entra ID signing keys (JWKS)' })
      .default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
    // Abuse limits. Teams traffic arrives from a few Bot Framework addresses, so the per-IP limit is generous.
    RATE_LIMIT_IP_PER_MINUTE: z.coerce
      .number({ message: 'must be a whole number of at least 1' })
      .int('must be a whole number of at least 1')
      .min(1, 'must be a whole number of at least 1')
      .default(600),
    RATE_LIMIT_CONVERSATION_PER_MINUTE: z.coerce
      .number({ message: 'must be a whole number of at least 1' })
      .int('must be a whole number of at least 1')
      .min(1, 'must be a whole number of at least 1')
      .default(60),
    RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce
      .number({ message: 'must be a whole number of at least 1' })
      .int('must be a whole number of at least 1')
      .min(1, 'must be a whole number of at least 1')
      .default(30),
    MESSAGE_MAX_CHARS: z.coerce
      .number({ message: 'must be a whole number from 100 to 4000' })
      .int('must be a whole number from 100 to 4000')
      .min(100, 'must be a whole number from 100 to 4000')
      .max(4000, 'must be a whole number from 100 to 4000')
      .default(4000),
    CONVERSATION_TTL_HOURS: z.coerce
      .number({ message: 'must be a number of hours greater than 0' })
      .positive('must be a number of hours greater than 0')
      .max(24 * 365, 'must be at most a year')
      .default(24),
    /** Retention (issue 9). Conversation state and web chat transcripts, idle hours; overrides CONVERSATION_TTL_HOURS. */
    RETENTION_CONVERSATION_HOURS: z.coerce
      .number({ message: 'must be a number of hours greater than 0' })
      .positive('must be a number of hours greater than 0')
      .max(24 * 365, 'must be at most a year')
      .optional(),
    /** CSE coordinator handoffs, days after closing (an open or claimed one is kept while in progress). */
    RETENTION_HANDOFF_DAYS: z.coerce
      .number({ message: 'must be a whole number of days from 1 to 3650' })
      .int('must be a whole number of days from 1 to 3650')
      .min(1, 'must be a whole number of days from 1 to 3650')
      .max(3650, 'must be a whole number of days from 1 to 3650')
      .default(30),
    /** Unfinished referrals (issue 20 item 2): days from a draft's last change until it is removed (audited). */
    RETENTION_DRAFT_DAYS: z.coerce
      .number({ message: 'must be a whole number of days from 1 to 365' })
      .int('must be a whole number of days from 1 to 365')
      .min(1, 'must be a whole number of days from 1 to 365')
      .max(365, 'must be a whole number of days from 1 to 365')
      .default(7),
    /** Audit records (decisions, minimal identifiers): whole years after they were written; older ones are purged. */
    RETENTION_AUDIT_YEARS: z.coerce
      .number({ message: 'must be a whole number of years from 1 to 100' })
      .int('must be a whole number of years from 1 to 100')
      .min(1, 'must be a whole number of years from 1 to 100')
      .max(100, 'must be a whole number of years from 1 to 100')
      .default(7),
  })
  .superRefine((config, ctx) => {
    if (config.TEAMS_SSO_TENANT_IDS.length && !config.MicrosoftAppId) {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_SSO_TENANT_IDS'], message: 'needs MicrosoftAppId (the SSO token audience is the bot app)' });
    }
    const oauth = config.MASH_TOKEN_URL || config.MASH_CLIENT_ID || config.MASH_CLIENT_SECRET;
    if (oauth && !(config.MASH_TOKEN_URL && config.MASH_CLIENT_ID && config.MASH_CLIENT_SECRET)) {
      const missing = ['MASH_TOKEN_URL', 'MASH_CLIENT_ID', 'MASH_CLIENT_SECRET'].find((k) => !config[k as keyof typeof config]) ?? 'MASH_TOKEN_URL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with the other MASH OAuth2 settings (MASH_TOKEN_URL, MASH_CLIENT_ID, MASH_CLIENT_SECRET)' });
    }
    if (config.MASH_INTAKE_URL && !config.MASH_API_TOKEN && !oauth) {
      ctx.addIssue({ code: 'custom', path: ['MASH_API_TOKEN'], message: 'or the MASH OAuth2 settings are required when MASH_INTAKE_URL is set' });
    }
    if (Boolean(config.COORDINATOR_TEAMS_CHANNEL_ID) !== Boolean(config.COORDINATOR_SERVICE_URL)) {
      const missing = config.COORDINATOR_TEAMS_CHANNEL_ID ? 'COORDINATOR_SERVICE_URL' : 'COORDINATOR_TEAMS_CHANNEL_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: "is required with the other coordinators' channel setting (COORDINATOR_TEAMS_CHANNEL_ID, COORDINATOR_SERVICE_URL)",
      });
    }
    if (config.WEBCHAT_AUTH === 'oidc') {
      for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const) {
        if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when WEBCHAT_AUTH=oidc' });
      }
    }
    // Two sources of the encrypting key would make "which key is newest" a guess: refuse both.
    if (config.STATE_ENCRYPTION_KEY && config.STATE_ENCRYPTION_KEYS)
      ctx.addIssue({ code: 'custom', path: ['STATE_ENCRYPTION_KEYS'], message: 'and STATE_ENCRYPTION_KEY cannot both be set (put the single key first in STATE_ENCRYPTION_KEYS)' });
    if (config.REFERRALS === 'phone' && config.MASH_INTAKE_URL)
      ctx.addIssue({ code: 'custom', path: ['REFERRALS'], message: 'must be mash when MASH_INTAKE_URL is set (phone is for a partnership without an intake API)' });
    if (config.NODE_ENV !== 'production') return;
    if (config.MASH_INTAKE_URL && !config.MASH_WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['MASH_WEBHOOK_SECRET'], message: 'is required when NODE_ENV=production and MASH_INTAKE_URL is set' });
    // Local mode skips channel authentication: acceptable on a laptop, never in production.
    if (!config.MicrosoftAppId)
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required when NODE_ENV=production (an empty app id disables channel authentication)' });
    if (!config.STATE_ENCRYPTION_KEY && !config.STATE_ENCRYPTION_KEYS)
      ctx.addIssue({ code: 'custom', path: ['STATE_ENCRYPTION_KEY'], message: 'is required when NODE_ENV=production (a generated key is for local use only)' });
    refuseUnsafeProduction(config, ctx);
  });

export type Config = z.infer<typeof configSchema>;

/**
 * What production refuses (pen test H1, M4, M5): a referral that could go nowhere but a development
 * MASH, an http endpoint, an origin without TLS, and a sign-in form that trusts whatever is typed.
 */
function refuseUnsafeProduction(config: Config, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (config.MASH_REFERENCE === 'on')
    issue('MASH_REFERENCE', 'must not be on when NODE_ENV=production (the reference MASH is for development: referrals filed into it reach nobody)');
  else if (!config.MASH_INTAKE_URL && config.REFERRALS === 'mash')
    issue('MASH_INTAKE_URL', 'is required when NODE_ENV=production (without it referrals would reach no MASH; a partnership without an intake API sets REFERRALS=phone)');
  // Whoever reaches the port would otherwise read the service's counters (pen test M6): a token, from every address.
  if (!config.METRICS_TOKEN) issue('METRICS_TOKEN', 'is required when NODE_ENV=production (GET /metrics then needs it as a bearer token from every address)');
  if (config.REDIS_URL && config.REDIS_TLS === 'required' && plainRedisOffHost(config.REDIS_URL)) {
    issue(
      'REDIS_URL',
      'must be rediss:// (TLS) when NODE_ENV=production and Redis is not on loopback; REDIS_TLS=off-private-network accepts redis:// over a private network you trust',
    );
  }
  if (!config.PUBLIC_BASE_URL) issue('PUBLIC_BASE_URL', 'is required when NODE_ENV=production (the https origin the service is reached at)');
  for (const key of httpsOnlyInProduction) {
    const value = config[key];
    if (value && !value.startsWith('https://')) issue(key, 'must be an https:// URL when NODE_ENV=production');
  }
  if (!config.BOT_TENANT_IDS.length)
    issue('BOT_TENANT_IDS', 'is required when NODE_ENV=production (the Microsoft 365 tenant ids whose Teams users the bot serves, comma-separated)');
  if (config.WEBCHAT_AUTH === 'local') issue('WEBCHAT_AUTH', 'must be oidc or off when NODE_ENV=production (local sign-in trusts whatever is typed)');
}

/** A `redis://` URL (no TLS) to a host that is not loopback: state, outbox and audit would cross a network in clear. */
export function plainRedisOffHost(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

/** Settings whose values never appear in logs. */
export const secretSettings = [
  'MicrosoftAppPassword',
  'STATE_ENCRYPTION_KEY',
  'STATE_ENCRYPTION_KEYS',
  'REDIS_URL',
  'DIRECTLINE_SECRET',
  'DIRECTLINE_TOKEN_KEY',
  'METRICS_TOKEN',
  'MASH_API_TOKEN',
  'MASH_CLIENT_SECRET',
  'MASH_WEBHOOK_SECRET',
  'OIDC_CLIENT_SECRET',
] as const;

/**
 * The service's mode when NODE_ENV is unset: production, so a deployment that forgets it keeps every
 * safeguard (pen test M4); `npm start` passes `--dev` for development. An explicit NODE_ENV wins.
 */
export function withDefaultMode(env: NodeJS.ProcessEnv, argv: readonly string[]): NodeJS.ProcessEnv {
  if (env.NODE_ENV) return env;
  return { ...env, NODE_ENV: argv.includes('--dev') ? 'development' : 'production' };
}

/** Where to listen: HOST, else loopback outside production (a laptop is not a server), else every interface. */
export function listenHost(config: Pick<Config, 'HOST' | 'NODE_ENV'>): string | undefined {
  return config.HOST ?? (config.NODE_ENV === 'production' ? undefined : '127.0.0.1');
}

/** The built-in reference MASH: never in production, never beside a real one, and off when MASH_REFERENCE=off or REFERRALS=phone. */
export function referenceMashEnabled(config: Pick<Config, 'NODE_ENV' | 'MASH_INTAKE_URL' | 'MASH_REFERENCE' | 'REFERRALS'>): boolean {
  return config.NODE_ENV !== 'production' && !config.MASH_INTAKE_URL && config.MASH_REFERENCE !== 'off' && config.REFERRALS !== 'phone';
}

/** Treats `VAR=` like an unset variable, as shells and compose files often produce it. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = Object.keys(configSchema.shape);
  return Object.fromEntries(keys.flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
}

/**
 * Parses the environment once at start-up. A bad value throws one line naming the variable and what it
 * must be (never echoing the value: it may be a secret).
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.map((i) => i.path.join('.')).join(', ')})` : '';
  throw new DomainError('SG-CONFIG-INVALID', `${first.path.join('.')} ${first.message}${more}`, {
    cause: new Error(z.prettifyError(parsed.error)),
  });
}

/** The configuration as it may be logged: secrets shown only as set or unset. */
export function configSummary(config: Config): Record<string, unknown> {
  const summary: Record<string, unknown> = { ...config };
  for (const key of secretSettings) summary[key] = config[key] ? '(set)' : '(unset)';
  return summary;
}
