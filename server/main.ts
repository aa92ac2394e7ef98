import type { Server } from 'node:http';
import { cardContextOf, createConversationTurns, createAdapter, createChannelAuthentication, createCoordinatorChannel, createProactiveNotifier, createReferenceRecorder, SafeguardingBot, webChatChannelId, channelTokenCheck, messagesEndpoint } from '../bot';
import { createReferralPipeline } from './referrals/referralPipeline';
import type { Notify } from './referrals/referralService';
import { myReferralsMessage } from './referrals/myReferrals';
import { phoneReferralHandler } from './referrals/phoneReferrals';
import { createReferenceMash } from './referenceMash';
import { createRuntime, isDomainError, loadDefaultPack, serviceWordsOf } from '../flows';
import { auditAppendHandler, createEffectSink } from '../integrations';
import { createApp } from './app';
import { channelAuthGate } from './channelAuthGate';
import { channelIdentityGate } from './channelIdentity';
import { abuseLimitsFrom, memoryRateCounter, redisRateCounter } from './limits';
import { configSummary, listenHost, loadConfig, referenceMashEnabled, withDefaultMode, type Config } from './config';
import { createPersistence } from './createPersistence';
import { secureDataDir } from './dataDir';
import { resolveEncryptionKeys } from './encryptionKeys';
import { createInFlight } from './inFlight';
import { startBanner } from './startBanner';
import { purgeExpiredAudit } from './retention/auditRetention';
import { createLogger, type Logger } from './logger';
import { routeConsoleToLogger } from './consoleToLogger';
import { createDirectLine, deriveTokenKey } from './directline';
import { deriveSessionKey, webChatMounts } from './webchat';
import { createWebSessions, fileSessionRevocations, redisSessionRevocations } from './auth';
import { createInsightsRoutes } from './insights';
import { tabMounts, teamsSsoFrom } from './tabs';
import { createBoardRoutes, createCoordinatorService, createMashCredentialsAlert, createStoreResetAlert, type CoordinatorChannel } from './coordinator';
import { createStoreGuard } from './storeGuard';
import { grantRoles } from './auth';
import { createMetricsRoute, createServiceMetrics, instrumentOutbox, instrumentTurns } from './metrics';
import { assertPackSignedOff, createPackCurrencyMonitor } from './packReview';

const shutdownBudgetMs = 10_000;
const purgeEveryMs = 60 * 60 * 1000;

/** Builds every part from config (the composition root) and starts listening. */
export async function startService(config: Config, logger: Logger) {
  const pack = loadDefaultPack();
  assertPackSignedOff(pack, config.NODE_ENV);
  // What the channels, pages and notices say is the pack's: everything below asks `words`.
  const words = serviceWordsOf(pack);
  // A stale review or a short bank-holiday table is logged and measured, never a reason to stop.
  const currency = createPackCurrencyMonitor({ pack, logger });
  currency.check();
  await secureDataDir(config.DATA_DIR);
  const keys = await resolveEncryptionKeys(config, logger);
  const persistence = await createPersistence(config, keys, logger);
  const { store, audit, transcripts, purgeExpired } = persistence;
  // REFERRALS=phone: the referral flow gives the line to phone and a record instead of queueing.
  const runtime = createRuntime({ pack, referrals: config.REFERRALS });
  // The coordinators' channel is bound below, once the adapter exists; the guard's alert reads it late.
  let coordinatorChannel: CoordinatorChannel | undefined;
  const storeGuard = createStoreGuard({
    markers: persistence.markers, remembered: persistence.rememberedMarker, production: config.NODE_ENV === 'production', logger,
    intervalMs: config.STORE_MARKER_CHECK_MS,
    onReset: createStoreResetAlert({ handoffs: persistence.handoffs, pack, logger, channel: () => coordinatorChannel }),
  });
  const metrics = createServiceMetrics({ outbox: persistence.outbox, handoffs: persistence.handoffs, logger, packCurrency: currency.check, storeReset: () => storeGuard.storeReset });
  // The notifier needs the adapters, which need the bot, which needs the effects: bind it once built.
  let notifyNow: Notify = async () => false;
  const pipeline = await createReferralPipeline({
    config, outbox: instrumentOutbox(persistence.outbox, metrics), followUps: persistence.followUps, registry: persistence.referrals, handoffs: persistence.handoffs, cipher: persistence.cipher, pack, logger,
    audit,
    notify: (reference, message) => notifyNow(reference, message),
    onCredentialsRefused: createMashCredentialsAlert({ handoffs: persistence.handoffs, pack, logger, channel: () => coordinatorChannel }),
    // Never built in production (pen test H1): referrals filed into it reach nobody.
    referenceMash: referenceMashEnabled(config)
      ? ({ token, webhookSecret, webhookUrl }) =>
          createReferenceMash({ dataDir: config.DATA_DIR, cipher: persistence.cipher, token, webhook: { url: webhookUrl, secret: webhookSecret }, logger })
      : undefined,
  });
  // The coordinators' channel needs the adapter, built below: bind it once built, like the notifier.
  const coordinators = createCoordinatorService({
    handoffs: persistence.handoffs, audit, pack, logger,
    notify: (reference, message) => notifyNow(reference, message),
    channel: { show: async (handoff) => coordinatorChannel?.show(handoff) },
  });
  const runEffects = createEffectSink({ 'audit.append': auditAppendHandler(audit), 'outbox.enqueue': pipeline.service.enqueue, 'handoff.open': coordinators.openFromEffect, 'referral.phone': phoneReferralHandler({ registry: persistence.referrals }) }, logger);
  const turns = instrumentTurns(createConversationTurns({ store, runtime, logger, runEffects, onUnreadable: () => metrics.conversationUnreadable() }), metrics);
  const bot = new SafeguardingBot({
    turns, logger,
    myReferrals: async (channelId, userId) => myReferralsMessage(pack, await pipeline.service.listFor(channelId, userId)),
    answerMashQuestion: pipeline.service.answerQuestion,
    rememberReference: createReferenceRecorder(persistence.conversationReferences, logger),
    maxMessageChars: config.MESSAGE_MAX_CHARS,
    coordinators: {
      actions: coordinators, reply: coordinators.replyFromReferrer, channelId: config.COORDINATOR_TEAMS_CHANNEL_ID,
      isCoordinator: (aadObjectId) => grantRoles(config, aadObjectId).includes('coordinator'),
    },
  });
  const channelAuthentication = createChannelAuthentication(config);
  const adapter = createAdapter(config, logger, words, channelAuthentication);
  if (config.COORDINATOR_TEAMS_CHANNEL_ID && config.COORDINATOR_SERVICE_URL) {
    coordinatorChannel = createCoordinatorChannel({ adapter, appId: config.MicrosoftAppId, serviceUrl: config.COORDINATOR_SERVICE_URL, channelId: config.COORDINATOR_TEAMS_CHANNEL_ID, logger, words });
  }
  const inFlight = createInFlight();
  // On Redis, every instance counts rate limits together; embedded (one instance), in memory.
  const rateCounter = persistence.redis
    ? redisRateCounter({ redis: persistence.redis, hmacKey: deriveSessionKey(keys[0].key, 'rate-limit-keys-v1'), logger })
    : memoryRateCounter();
  // Sign-outs and spent stream tickets, seen by every instance (pen test M2, L2).
  const revocations = persistence.redis ? redisSessionRevocations(persistence.redis) : await fileSessionRevocations(config.DATA_DIR);
  const sessionMaxMs = config.SESSION_MAX_HOURS * 3600_000;
  const directLine = createDirectLine({
    rateCounter,
    revocations,
    sessionMaxMs,
    bot,
    transcripts,
    wakeups: persistence.wakeups,
    logger,
    words,
    secret: config.DIRECTLINE_SECRET,
    // Every instance must sign and check tokens with the same key: derive it from the shared state key.
    tokenKey: config.DIRECTLINE_TOKEN_KEY ? Buffer.from(config.DIRECTLINE_TOKEN_KEY, 'base64') : deriveTokenKey(keys[0].key),
    publicUrl: config.PUBLIC_BASE_URL,
  });
  notifyNow = createProactiveNotifier({
    cloudAdapter: adapter, appId: config.MicrosoftAppId, webChatAdapter: directLine.adapter, logger,
    references: persistence.conversationReferences, cards: cardContextOf(pack),
  });
  // One browser session for the web chat, the tab, the coordinator board and the insight pages.
  const sessions = createWebSessions({ key: deriveSessionKey(keys[0].key), secure: config.PUBLIC_BASE_URL?.startsWith('https:'), maxAgeMs: sessionMaxMs, revocations, logger });
  // Teams SSO (TEAMS_SSO_TENANT_IDS) for every page Teams frames: the "My referrals" and insight tabs.
  const sso = teamsSsoFrom(config);
  const app = createApp({
    messages: messagesEndpoint(adapter, bot), store, logger, inFlight,
    mounts: [
      ['/v3/directline', directLine.router],
      ['/', createMetricsRoute(metrics, config.METRICS_TOKEN)],
      ...webChatMounts({
        config, sessions, pendingKey: deriveSessionKey(keys[0].key, 'oidc-pending-v1'), issueToken: (user, session) => directLine.issueToken(user, session), partnershipName: pack.title.split(':')[0], words, logger,
      }),
      ...tabMounts({ sessions, words, sso, sources: pipeline.service, notifications: persistence.conversationReferences, webChatChannelId, logger }),
      ...pipeline.mounts,
      // Partnership insight: partnership leads and coordinators only (session or Teams SSO bearer), anonymised counts.
      ['/', createInsightsRoutes({ audit, pack, sessions, sso, logger })],
      // The coordinator board and its API: coordinators only.
      ['/', createBoardRoutes({ service: coordinators, sessions, words })],
    ],
    rawRouters: [pipeline.webhook],
    ownBodyPaths: ['/v3/directline'],
    limits: abuseLimitsFrom(config),
    rateCounter,
    channelIdentity: channelIdentityGate({ production: config.NODE_ENV === 'production', tenantIds: config.BOT_TENANT_IDS, logger }),
    channelAuth: channelAuthGate(channelTokenCheck(channelAuthentication), Boolean(config.MicrosoftAppId), logger),
    https: config.PUBLIC_BASE_URL?.startsWith('https:') ?? false,
    trustProxy: config.TRUST_PROXY,
    localMode: !config.MicrosoftAppId,
    storeReset: () => storeGuard.storeReset,
  });

  // Retention: expired documents (the embedded store; Redis expires keys itself) and audit records past
  // RETENTION_AUDIT_YEARS (both stores). Hourly, and once at start.
  const purgeAll = async () => {
    currency.check(); // hourly too, so a table that runs short while the service is up is logged without a scrape
    const started = Date.now();
    const documents = await purgeExpired?.();
    await purgeExpiredAudit(audit, config.RETENTION_AUDIT_YEARS, logger);
    // The one sign an operator has that retention runs, and how long a scan of the store takes.
    if (documents !== undefined) logger.info({ documents, ms: Date.now() - started }, 'expired documents purged');
  };
  // Fire and forget: a sweep's failure is logged by its catch and the next hour tries again.
  const purge = setInterval(() => void purgeAll().catch((err: unknown) => logger.warn({ err }, 'purge failed')), purgeEveryMs).unref();
  // The marker is read before listening: a reset is reported from the first request on. A store that
  // does not answer yet is checked again at every interval.
  await storeGuard.start();

  const host = listenHost(config);
  const server: Server = await new Promise((resolve) => {
    const listening = host ? app.listen(config.PORT, host, () => resolve(listening)) : app.listen(config.PORT, () => resolve(listening));
  });
  directLine.attach(server);
  pipeline.start();
  // In the background, after listening (reliability F9): the start-up purge takes the audit lock and reads
  // every stored file, and a restart after a crash must not wait on either.
  void purgeAll().catch((err: unknown) => logger.warn({ err }, 'purge failed'));
  // Effects saved by a turn that crashed before running them (a referral not yet queued) go now, not at
  // the professional's next message. In the background: start-up does not wait on a big store.
  void turns
    .sweepPendingEffects()
    .then((counts) => logger.info(counts, 'pending effects swept'))
    .catch((err: unknown) => logger.warn({ err }, 'pending effects sweep failed'));
  logger.info({ port: config.PORT, host: host ?? '(all interfaces)', mode: config.NODE_ENV, store: store.kind, pack: `${pack.id}@${pack.version}`, localMode: !config.MicrosoftAppId }, startBanner(config, host));

  /** Stop taking requests, let in-flight turns finish and save, then close the store. */
  async function stop(): Promise<void> {
    clearInterval(purge);
    storeGuard.stop();
    // Refuse new turns at once (SG-SHUTTING-DOWN: the channel sends them again), not only after the
    // outbox has stopped: server.close keeps kept-alive connections, and under load (reliability 9a/9b)
    // they carried new turns through the seconds the last MASH delivery took.
    const draining = inFlight.drain(shutdownBudgetMs - 2000);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await directLine.close(); // upgraded sockets are not closed by closeAllConnections
    await pipeline.stop();
    server.closeIdleConnections();
    const drained = await draining;
    if (!drained) logger.warn({ active: inFlight.active }, 'shutdown: turns still running after the budget');
    server.closeAllConnections();
    await closed;
    await persistence.close();
  }

  return { server, stop, audit, storeGuard };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(withDefaultMode(process.env, process.argv.slice(2)));
  } catch (error) {
    // One line naming the variable: what an operator reads first in a crash-looping container.
    process.stderr.write(`safeguarding-bot: configuration error: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  routeConsoleToLogger(logger);
  logger.info({ config: configSummary(config) }, 'starting');
  if (config.ADMIN_IDS.length) logger.warn({ count: config.ADMIN_IDS.length }, 'ADMIN_IDS grants nothing: admin actions are npm scripts run on a host (docs/security.md); use COORDINATOR_IDS or PARTNERSHIP_LEAD_IDS for roles');
  if (config.NODE_ENV !== 'production') logger.warn({ mode: config.NODE_ENV }, 'NOT PRODUCTION: development defaults (local sign-in, reference MASH, no channel authentication without an app id); never expose this instance');
  const service = await startService(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, shutdownBudgetMs).unref();
    service.stop().then(
      () => {
        clearTimeout(force);
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const message = isDomainError(error) ? error.message : (error as Error)?.stack ?? String(error);
    process.stderr.write(`safeguarding-bot: failed to start: ${message}\n`);
    process.exit(1);
  });
}
