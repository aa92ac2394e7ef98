import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Router } from 'express';
import type { ReferralSchemaVersion } from '../../flows';
import { createMashClient, type EnvelopeCipher } from '../../integrations';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { DeliverOutbox, ReferralService } from '../services';
import { mashWebhookRouter } from './mashWebhook';

/** The referral schema version the MASH takes: the partnership's MASH 1 unless MASH_SCHEMA_VERSION says 2; the reference MASH takes both. */
export function mashSchemaVersionOf(config: Pick<Config, 'MASH_SCHEMA_VERSION' | 'MASH_INTAKE_URL'>): ReferralSchemaVersion {
  return config.MASH_SCHEMA_VERSION ?? (config.MASH_INTAKE_URL ? '1' : '2');
}

export interface MashConnectionDeps {
  config: Config;
  cipher: EnvelopeCipher;
  logger: Logger;
  /** Applies the MASH's status events (the webhook calls `onMashEvent`). */
  referrals: Pick<ReferralService, 'onMashEvent'>;
  /** Delivers the outboxes once the service listens (`server/services/deliverOutbox.ts`). */
  delivery: DeliverOutbox;
  /** Builds the reference MASH mounted at /mash when MASH_INTAKE_URL is unset (outside production only: see referenceMashEnabled). */
  referenceMash?: (options: { token: string; webhookSecret: string; webhookUrl: () => string }) => Promise<{ router: Router; close(): Promise<void> | void }>;
}

/** A secret kept in DATA_DIR so that a local service keeps working across restarts without setup. */
async function localSecret(dataDir: string, file: string): Promise<string> {
  const path = join(dataDir, file);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The service's side of the MASH: its client (the partnership's API, or the reference MASH this service
 * mounts when MASH_INTAKE_URL is unset), the signed status webhook, and starting the outbox delivery
 * against that client once the service listens.
 */
export async function createMashConnection(deps: MashConnectionDeps) {
  const { config, logger } = deps;
  // Where this instance listens, known once it does (a test's port 0): the reference MASH and its
  // webhook are reached through it, so both read it when they call, not when they are built.
  let local = `http://127.0.0.1:${config.PORT}`;
  const webhookSecret = config.MASH_WEBHOOK_SECRET ?? (await localSecret(config.DATA_DIR, 'mash-webhook.secret'));
  const mounts: Array<[string, Router]> = [];
  let reference: { close(): Promise<void> | void } | undefined;
  let auth: Parameters<typeof createMashClient>[0]['auth'] | undefined;
  if (config.MASH_INTAKE_URL) {
    auth = config.MASH_API_TOKEN
      ? { kind: 'static', token: config.MASH_API_TOKEN }
      : {
          kind: 'oauth2',
          tokenUrl: config.MASH_TOKEN_URL!,
          clientId: config.MASH_CLIENT_ID!,
          clientSecret: config.MASH_CLIENT_SECRET!,
          ...(config.MASH_SCOPE ? { scope: config.MASH_SCOPE } : {}),
        };
  } else if (deps.referenceMash) {
    const token = await localSecret(config.DATA_DIR, 'reference-mash.token');
    const built = await deps.referenceMash({ token, webhookSecret, webhookUrl: () => `${local}/api/mash/events` });
    mounts.push(['/mash', built.router]);
    reference = built;
    auth = { kind: 'static', token };
  }
  const mashBaseUrl = () => config.MASH_INTAKE_URL ?? (reference ? `${local}/mash/v1` : undefined);
  // MASH_TIMEOUT_MS (default 6 s) is validated below the 10 s shutdown budget, so a stop never waits on a hung MASH.
  // The partnership's MASH takes version 1 unless MASH_SCHEMA_VERSION says 2; the reference MASH takes both.
  const schemaVersion = mashSchemaVersionOf(config);
  if (config.REFERRALS === 'phone') logger.info('REFERRALS=phone: referrals are phoned through to the MASH, nothing is queued');
  else if (!mashBaseUrl()) logger.warn('no MASH intake configured: referrals stay queued until one is');

  return {
    mounts,
    webhook: mashWebhookRouter({ secret: webhookSecret, referrals: deps.referrals, logger }),
    /** Starts delivering once the HTTP server listens at `localUrl` (the reference MASH is served by it). */
    start(localUrl: string): void {
      local = localUrl;
      const url = mashBaseUrl();
      deps.delivery.start(url && auth ? createMashClient({ baseUrl: url, auth, timeoutMs: config.MASH_TIMEOUT_MS, schemaVersion }) : undefined);
    },
    async stop(): Promise<void> {
      await deps.delivery.stop();
      await reference?.close();
    },
  };
}
