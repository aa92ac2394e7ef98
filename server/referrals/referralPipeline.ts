import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Router } from 'express';
import type { ContentPack } from '../../flows';
import { createDeliveryWorker, createMashClient, type AuditLog, type EnvelopeCipher, type HandoffQueue, type Outbox, type ReferralRegistry } from '../../integrations';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { mashWebhookRouter } from './mashWebhook';
import { createReferralService, type Notify } from './referralService';

export interface ReferralPipelineDeps {
  config: Config;
  outbox: Outbox;
  /** Follow-up jobs: notices to referrers, handoffs and acknowledgement checks, each retried until done. */
  followUps?: Outbox;
  registry: ReferralRegistry;
  handoffs?: HandoffQueue;
  cipher: EnvelopeCipher;
  pack: ContentPack;
  notify: Notify;
  logger: Logger;
  /** Records what happens to referrals after filing, for partnership insight. */
  audit?: AuditLog;
  /** Raised at the first 401/403 from the MASH (a person must fix the credentials); referrals keep retrying. */
  onCredentialsRefused?: (status: number) => Promise<void> | void;
  /** Builds the reference MASH mounted at /mash when MASH_INTAKE_URL is unset (outside production only: see referenceMashEnabled). */
  referenceMash?: (options: { token: string; webhookSecret: string; webhookUrl: string }) => Promise<{ router: Router; close(): Promise<void> | void }>;
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
 * Filing referrals end to end: the MASH client (the partnership's API, or the reference MASH this
 * service mounts when MASH_INTAKE_URL is unset), the delivery worker, the status webhook and the
 * effect handler that queues a confirmed referral.
 */
export async function createReferralPipeline(deps: ReferralPipelineDeps) {
  const { config, logger } = deps;
  const local = `http://127.0.0.1:${config.PORT}`;
  const webhookSecret = config.MASH_WEBHOOK_SECRET ?? (await localSecret(config.DATA_DIR, 'mash-webhook.secret'));
  const mounts: Array<[string, Router]> = [];
  let reference: { close(): Promise<void> | void } | undefined;
  let baseUrl = config.MASH_INTAKE_URL;
  let auth: Parameters<typeof createMashClient>[0]['auth'] | undefined;
  if (baseUrl) {
    auth = config.MASH_API_TOKEN
      ? { kind: 'static', token: config.MASH_API_TOKEN }
      : { kind: 'oauth2', tokenUrl: config.MASH_TOKEN_URL!, clientId: config.MASH_CLIENT_ID!, clientSecret: config.MASH_CLIENT_SECRET!, ...(config.MASH_SCOPE ? { scope: config.MASH_SCOPE } : {}) };
  } else if (deps.referenceMash) {
    const token = await localSecret(config.DATA_DIR, 'reference-mash.token');
    const built = await deps.referenceMash({ token, webhookSecret, webhookUrl: `${local}/api/mash/events` });
    mounts.push(['/mash', built.router]);
    reference = built;
    baseUrl = `${local}/mash/v1`;
    auth = { kind: 'static', token };
  }

  const service = createReferralService({
    outbox: deps.outbox, registry: deps.registry, handoffs: deps.handoffs, notify: deps.notify, pack: deps.pack, logger, audit: deps.audit,
    followUps: deps.followUps, ackWindow: { immediateHours: config.MASH_ACK_HOURS_IMMEDIATE, otherHours: config.MASH_ACK_HOURS },
  });
  // MASH_TIMEOUT_MS (default 6 s) is validated below the 10 s shutdown budget, so a stop never waits on a hung MASH.
  // The partnership's MASH takes version 1 unless MASH_SCHEMA_VERSION says 2; the reference MASH takes both.
  const schemaVersion = config.MASH_SCHEMA_VERSION ?? (config.MASH_INTAKE_URL ? '1' : '2');
  const client = baseUrl && auth ? createMashClient({ baseUrl, auth, timeoutMs: config.MASH_TIMEOUT_MS, schemaVersion }) : undefined;
  const worker = client
    ? createDeliveryWorker({
      outbox: deps.outbox, client, onDelivered: service.onDelivered, onParked: service.onParked, retryBudgetHours: config.MASH_RETRY_HOURS, logger,
      probeParkedEveryMs: config.MASH_PARKED_PROBE_MINUTES * 60_000, onCredentialsRefused: deps.onCredentialsRefused,
    })
    : undefined;
  if (config.REFERRALS === 'phone') logger.info('REFERRALS=phone: referrals are phoned through to the MASH, nothing is queued');
  else if (!worker) logger.warn('no MASH intake configured: referrals stay queued until one is');
  // Notices to referrers and coordinators' handoffs: tried until the channel (or the store) takes them.
  const followUpWorker = deps.followUps
    ? createDeliveryWorker({
      outbox: deps.followUps, deliver: service.runFollowUp, retryBudgetHours: config.NOTICE_RETRY_HOURS, baseDelayMs: 2000, maxDelayMs: 5 * 60_000, logger,
      onParked: (item, reason) => logger.error({ job: item.record.clientReference, reason }, 'follow-up job given up: the update stays in "my referrals" only'),
    })
    : undefined;

  return {
    service,
    mounts,
    webhook: mashWebhookRouter({ secret: webhookSecret, referrals: service, logger }),
    mashBaseUrl: baseUrl,
    /** Starts delivering once the HTTP server listens (the reference MASH is served by it). */
    start: () => {
      worker?.start();
      followUpWorker?.start();
    },
    async stop(): Promise<void> {
      await Promise.all([worker?.stop(3000), followUpWorker?.stop(3000)]);
      await reference?.close();
    },
  };
}
