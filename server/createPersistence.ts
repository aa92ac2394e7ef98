import type { Redis } from 'ioredis';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEnvelopeCipher,
  createRedisAuditLog,
  createRedisClient,
  createEmbeddedTranscriptStore,
  createRedisTranscriptStore,
  createRedisTranscriptWakeups,
  type TranscriptWakeups,
  createTranscriptCodec,
  type AuditLog,
  type TranscriptStore,
  type ConversationStore,
  type EncryptionKey,
  createEmbeddedOutbox,
  createRedisOutbox,
  createOutboxCodec,
  createReferralRegistry,
  createHandoffQueue,
  handoffStoresOf,
  type HandoffQueue,
  type EnvelopeCipher,
  type Outbox,
  type ReferralRegistry,
  createConversationReferences,
  type ConversationReferences,
  createWebChatBindings,
  createReferralDrafts,
  type ReferralDrafts,
  type WebChatBindings,
  openEmbeddedDocumentStores,
  openRedisDocumentStores,
  referralTrackingMs,
  type DocumentStores,
  type RetentionPeriods,
  createEmbeddedStoreMarkers,
  createRedisStoreMarkers,
  readRedisSafety,
  redisSafetyProblems,
  rememberedMarker,
  sweepTemporaryFiles,
  type RememberedMarker,
  type StoreMarkers,
} from '../integrations';
import { DomainError } from '../flows';
import type { Config } from './config';
import type { Logger } from './logger';
import { readTracingSettings } from './tracing/tracingSettings';

export interface Persistence {
  /** Encrypts everything stored; other stores built later (the reference MASH) share it. */
  cipher: EnvelopeCipher;
  store: ConversationStore;
  audit: AuditLog;
  /** Web chat (Direct Line) conversations and their activity history. */
  transcripts: TranscriptStore;
  /** Referrals and intelligence on their way to the MASH. */
  outbox: Outbox;
  /** Follow-up jobs (notices to referrers, handoffs, acknowledgement checks), retried until done like the outbox's entries. */
  followUps: Outbox;
  /** Filed referrals' progress, for proactive updates and "my referrals". */
  referrals: ReferralRegistry;
  /** Redis only: wakes Direct Line sockets on other instances when a transcript grows. */
  wakeups?: TranscriptWakeups;
  /** The CSE coordinators' queue. */
  handoffs: HandoffQueue;
  /** Where to reach each professional later (proactive updates) and what could not reach them. */
  conversationReferences: ConversationReferences;
  /** Each signed-in professional's current web chat conversation (continuity across reloads, tabs and devices). */
  webChatBindings: WebChatBindings;
  /** Unfinished referrals, per professional (issue 20 item 2). */
  drafts: ReferralDrafts;
  /** The shared Redis client when the service runs on Redis (rate limits count there too). */
  redis?: Redis;
  /** The deployment marker (store reset detection), and what this host remembers of Redis's. */
  markers: StoreMarkers;
  rememberedMarker?: RememberedMarker;
  /** Periodic housekeeping for the embedded store (Redis expires keys itself). */
  purgeExpired?: () => Promise<number>;
  close(): Promise<void>;
}

async function connectRedis(config: Config, logger: Logger): Promise<Redis> {
  const tracing = readTracingSettings(process.env);
  const traced = 'settings' in tracing && tracing.settings.enabled;
  const redis = createRedisClient(config.REDIS_URL as string, config.REDIS_KEY_PREFIX, config.REDIS_COMMAND_TIMEOUT_MS, !traced);
  // Logged once per outage, not once per failed command: a frozen Redis makes every command time out.
  let troubled = false;
  redis.on('error', (error: NodeJS.ErrnoException) => {
    if (!troubled) logger.error({ code: error.code ?? error.message }, 'redis connection problem: turns fail with the apology and /readyz says 503 until it recovers');
    troubled = true;
  });
  redis.on('ready', () => {
    if (troubled) logger.info('redis reachable again');
    troubled = false;
  });
  const connected = await redis.connect().then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      logger.error({ code: error.code }, 'redis not reachable at start; /readyz will say 503 until it is');
      return false;
    },
  );
  if (connected) await checkRedisSafety(redis, config, logger);
  // A Redis that comes back (a failover, a restart) may come back configured differently.
  redis.on('ready', () => {
    checkRedisSafety(redis, config, logger).catch((error: unknown) => {
      logger.fatal({ code: 'SG-STORE-UNSAFE', err: error }, 'Redis is not safe for production: stopping');
      process.kill(process.pid, 'SIGTERM');
    });
  });
  return redis;
}

/**
 * Issue 18 item 2: production refuses a Redis without AOF or with eviction (read by INFO, never CONFIG),
 * unless REDIS_PERSISTENCE=attested for a provider that hides them; elsewhere it is a warning.
 */
async function checkRedisSafety(redis: Redis, config: Config, logger: Logger): Promise<void> {
  if (config.REDIS_PERSISTENCE === 'attested') return void logger.info('Redis persistence and eviction attested by the operator (REDIS_PERSISTENCE=attested): not checked');
  const production = config.NODE_ENV === 'production';
  const problems = await readRedisSafety(redis).then(redisSafetyProblems, (error: Error) => [
    `Redis persistence and eviction could not be read with INFO (${error.message}): set REDIS_PERSISTENCE=attested if the provider hides them and guarantees AOF and noeviction`,
  ]);
  if (problems.length === 0) return;
  if (production) throw new DomainError('SG-STORE-UNSAFE', `${problems.join('; ')} (or set REDIS_PERSISTENCE=attested when the provider guarantees both)`);
  for (const problem of problems) logger.warn({ code: 'SG-STORE-UNSAFE' }, `NOT PRODUCTION-SAFE: ${problem}`);
}

const day = 24 * 3600 * 1000;

/** An unreadable outbox entry moved aside: loud in the log (its key only), listed by `outbox:replay --list`, counted in the metrics. */
const quarantined = (logger: Logger, outbox: string) => (key: string, reason: string) =>
  logger.error({ outbox, key, reason }, 'unreadable outbox entry quarantined: see npm run outbox:replay -- --list');
/** Conversations and transcripts: idle hours (RETENTION_CONVERSATION_HOURS, else the older CONVERSATION_TTL_HOURS). */
export const conversationRetentionMs = (config: Config) => Math.round((config.RETENTION_CONVERSATION_HOURS ?? config.CONVERSATION_TTL_HOURS) * 3600 * 1000);

/** The configured retention periods the document kinds read (the others are fixed in their rows). */
const retentionPeriods = (config: Config): RetentionPeriods => ({
  conversationMs: conversationRetentionMs(config),
  // Closed handoffs go RETENTION_HANDOFF_DAYS after closing; open ones are kept while in progress (documentKinds).
  closedHandoffMs: config.RETENTION_HANDOFF_DAYS * day,
  // Unfinished referrals: from each draft's last change (the hourly sweep removes and audits them).
  draftMs: config.RETENTION_DRAFT_DAYS * day,
});

/** The services over the document kinds' stores, the same for either backend. */
function documentServices(documents: DocumentStores) {
  return {
    store: documents.conversations,
    referrals: createReferralRegistry({
      referrals: documents.referrals,
      owners: documents['referral-owners'],
      events: documents['mash-events'],
      questions: documents['mash-questions'],
    }),
    handoffs: createHandoffQueue(handoffStoresOf(documents)),
    conversationReferences: createConversationReferences({ references: documents['conversation-references'], notifications: documents['web-notifications'] }),
    webChatBindings: createWebChatBindings(documents['webchat-bindings']),
    drafts: createReferralDrafts(documents['referral-drafts']),
  };
}

/** REDIS_URL set: Redis (shared by every instance). Unset: encrypted files under DATA_DIR. */
export async function createPersistence(config: Config, keys: EncryptionKey[], logger: Logger): Promise<Persistence> {
  const cipher = createEnvelopeCipher(keys);
  const auditCodec = createAuditCodec(cipher);
  const periods = retentionPeriods(config);
  const ttlMs = periods.conversationMs;
  if (config.REDIS_URL) {
    const redis = await connectRedis(config, logger);
    const services = documentServices(openRedisDocumentStores({ redis, cipher, periods }));
    const transcripts = createRedisTranscriptStore({ redis, codec: createTranscriptCodec(cipher), ttlMs });
    const outbox = createRedisOutbox({
      redis,
      codec: createOutboxCodec(cipher),
      leaseMs: config.OUTBOX_CLAIM_IDLE_MS,
      deliveredTtlMs: referralTrackingMs,
      onQuarantine: quarantined(logger, 'outbox'),
    });
    const followUps = createRedisOutbox({
      redis,
      codec: createOutboxCodec(cipher),
      leaseMs: config.OUTBOX_CLAIM_IDLE_MS,
      deliveredTtlMs: referralTrackingMs,
      name: 'follow-ups',
      onQuarantine: quarantined(logger, 'follow-ups'),
    });
    const wakeups = createRedisTranscriptWakeups({ redis, onError: (error: NodeJS.ErrnoException) => logger.warn({ code: error.code }, 'redis wake-up channel problem') });
    const close = async () => {
      await wakeups.close();
      await services.store.close();
    };
    const markers = createRedisStoreMarkers(redis);
    const remembered = rememberedMarker(config.DATA_DIR, config.REDIS_URL, config.REDIS_KEY_PREFIX ?? '');
    const audit = withAuditMarker(createRedisAuditLog({ redis, codec: auditCodec }), markers);
    return { cipher, ...services, audit, transcripts, outbox, followUps, wakeups, redis, markers, rememberedMarker: remembered, close };
  }
  const documents = await openEmbeddedDocumentStores({ dataDir: config.DATA_DIR, cipher, periods, checkpointAfterMs: config.EMBEDDED_JOURNAL_CHECKPOINT_SECONDS * 1000 });
  const services = documentServices(documents);
  const audit = await createEmbeddedAuditLog({ dataDir: config.DATA_DIR, codec: auditCodec, logger });
  const transcripts = await createEmbeddedTranscriptStore({ dataDir: config.DATA_DIR, codec: createTranscriptCodec(cipher), ttlMs });
  const outbox = await createEmbeddedOutbox({ dataDir: config.DATA_DIR, codec: createOutboxCodec(cipher), onQuarantine: quarantined(logger, 'outbox') });
  const followUps = await createEmbeddedOutbox({
    dataDir: config.DATA_DIR,
    codec: createOutboxCodec(cipher),
    folder: 'follow-ups',
    onQuarantine: quarantined(logger, 'follow-ups'),
  });
  const purgeables = [transcripts, ...Object.values(documents)];
  // Delivered outbox records go after the tracking period (the Idempotency-Key only has to outlive redelivery).
  const purgeDelivered = () => Promise.all([outbox, followUps].map((o) => o.purgeDelivered(Date.now() - referralTrackingMs)));
  const purgeExpired = async () => {
    // Temporary files a kill -9 left between write and rename (reliability F11): not documents, not counted.
    const swept = await sweepTemporaryFiles(config.DATA_DIR);
    if (swept) logger.info({ files: swept }, 'left-over temporary files removed');
    return [...(await Promise.all(purgeables.map((p) => p.purgeExpired()))), ...(await purgeDelivered())].reduce((a, b) => a + b, 0);
  };
  const close = async () => {
    await outbox.close();
    await services.store.close();
  };
  return { cipher, ...services, audit, transcripts, outbox, followUps, purgeExpired, markers: createEmbeddedStoreMarkers(config.DATA_DIR), close };
}

/** How often an appending instance re-notes on the marker that audit records exist (once a minute at most). */
const auditMarkEveryMs = 60_000;

/**
 * Notes on the deployment marker that audit records exist, so `audit:verify` can tell "no records yet"
 * from "the records were lost" (an empty log under a marker that says otherwise fails). At most once a
 * minute per instance: one small HSET beside an append that already writes four keys.
 */
export function withAuditMarker(audit: AuditLog, markers: StoreMarkers, now = Date.now): AuditLog {
  let lastMarked = -Infinity;
  return {
    ...audit,
    kind: audit.kind,
    async append(entry) {
      const result = await audit.append(entry);
      if (now() - lastMarked > auditMarkEveryMs) {
        await markers.markAuditWritten();
        lastMarked = now();
      }
      return result;
    },
  };
}
