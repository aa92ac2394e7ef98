import express from 'express';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import {
  cardContextOf,
  createAdapter,
  createChannelAuthentication,
  createCoordinatorChannel,
  createProactiveNotifier,
  createReferenceRecorder,
  SafeguardingBot,
  webChatChannelId,
  channelTokenCheck,
  messagesEndpoint,
} from '../bot';
import { createMashConnection, mashSchemaVersionOf } from './referrals/mashConnection';
import { createReferenceMash } from './referenceMash';
import { loadDefaultPack, serviceWordsOf, type ContentPack } from '../flows';
import { createHttpApp } from './httpApp';
import { channelAuthGate } from './channelAuthGate';
import { channelIdentityGate } from './channelIdentity';
import { abuseLimitsFrom, memoryRateCounter, redisRateCounter } from './limits';
import { configSummary, listenHost, referenceMashEnabled, type Config } from './config';
import { createPersistence, type Persistence } from './createPersistence';
import { secureDataDir } from './dataDir';
import { resolveEncryptionKeys } from './encryptionKeys';
import { createInFlight } from './inFlight';
import { startBanner } from './startBanner';
import { purgeExpiredAudit } from './retention/auditRetention';
import type { Logger } from './logger';
import { createDirectLine, deriveTokenKey, newConversationId } from './directline';
import { accessibilityPage, deriveSessionKey, forbiddenPage, pageSecurityHeaders, webChatMounts } from './webchat';
import { createWebSessions, fileSessionRevocations, redisSessionRevocations } from './auth';
import { createInsightsRoutes } from './insights';
import { tabMounts, teamsSsoFrom } from './tabs';
import { createBoardRoutes, createMashCredentialsAlert, createStoreResetAlert } from './coordinator';
import { createStoreGuard } from './storeGuard';
import { grantRoles } from './auth';
import { createMetricsRoute, createServiceMetrics, instrumentOutbox, instrumentTurns } from './metrics';
import { assertPackSignedOff, createPackCurrencyMonitor } from './packReview';
import { createServices, type CoordinatorChannel, type Notify, type Services } from './services';

const shutdownBudgetMs = 10_000;
const purgeEveryMs = 60 * 60 * 1000;

export interface CreateAppOptions {
  logger: Logger;
  /**
   * A seam for tests that inject faults: wraps the stores once built (a store that hangs, refuses writes or
   * loses its marker), so the whole service runs on them in the test's own process.
   */
  persistence?: (built: Persistence) => Persistence;
  /** The content pack (default: the signed-off one shipped with the service). */
  pack?: ContentPack;
  /**
   * The folder `npm run build` writes the browser bundles to (its webchat/, tabs/ and insights/). Default:
   * the one beside the compiled server (dist/); a test running the TypeScript sources names dist/ here.
   */
  bundlesDir?: string;
}

/** What `createApp` builds: the HTTP surface, the use cases behind it, and how to start and stop them. */
export interface BuiltApp {
  app: Express;
  services: Services;
  config: Config;
  /**
   * Listens (on `port`, default PORT; 0 picks a free one), then starts what needs the address: the outbox
   * workers, the Direct Line sockets, the background sweeps. Resolves with the server and its URL.
   */
  listen(port?: number): Promise<{ server: Server; url: string }>;
  /** Stop taking requests, let in-flight turns finish and save, then close the store. */
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part from config, without listening. `server/main.ts` calls it and
 * listens; integration tests call it in their own process (port 0) and can wrap the stores.
 */
export async function createApp(config: Config, options: CreateAppOptions): Promise<BuiltApp> {
  const { logger } = options;
  logger.info({ config: configSummary(config) }, 'starting');
  if (config.ADMIN_IDS.length)
    logger.warn(
      { count: config.ADMIN_IDS.length },
      'ADMIN_IDS grants nothing: admin actions are npm scripts run on a host (docs/security.md); use COORDINATOR_IDS or PARTNERSHIP_LEAD_IDS for roles',
    );
  if (config.NODE_ENV !== 'production')
    logger.warn(
      { mode: config.NODE_ENV },
      'NOT PRODUCTION: development defaults (local sign-in, reference MASH, no channel authentication without an app id); never expose this instance',
    );
  const bundleDir = (name: string) => (options.bundlesDir ? join(options.bundlesDir, name) : undefined);
  const pack = options.pack ?? loadDefaultPack();
  assertPackSignedOff(pack, config.NODE_ENV);
  // What the channels, pages and notices say is the pack's: everything below asks `words`.
  const words = serviceWordsOf(pack);
  // A stale review or a short bank-holiday table is logged and measured, never a reason to stop.
  const currency = createPackCurrencyMonitor({ pack, logger });
  currency.check();
  await secureDataDir(config.DATA_DIR);
  const keys = await resolveEncryptionKeys(config, logger);
  const built = await createPersistence(config, keys, logger);
  const persistence = options.persistence ? options.persistence(built) : built;
  const { store, audit, transcripts, purgeExpired } = persistence;
  // The coordinators' channel is bound below, once the adapter exists; the alerts read it late.
  let coordinatorChannel: CoordinatorChannel | undefined;
  const alertDeps = { handoffs: persistence.handoffs, pack, logger, channel: () => coordinatorChannel };
  const storeGuard = createStoreGuard({
    markers: persistence.markers,
    remembered: persistence.rememberedMarker,
    production: config.NODE_ENV === 'production',
    logger,
    intervalMs: config.STORE_MARKER_CHECK_MS,
    onReset: createStoreResetAlert(alertDeps),
  });
  const metrics = createServiceMetrics({
    outbox: persistence.outbox,
    handoffs: persistence.handoffs,
    logger,
    packCurrency: currency.check,
    storeReset: () => storeGuard.storeReset,
  });
  // The notifier needs the adapters, which need the bot, which needs the services: bind it once built.
  let notifyNow: Notify = async () => false;
  const services = createServices({
    pack,
    logger,
    store,
    audit,
    outbox: instrumentOutbox(persistence.outbox, metrics),
    followUps: persistence.followUps,
    registry: persistence.referrals,
    handoffs: persistence.handoffs,
    notify: (reference, message) => notifyNow(reference, message),
    coordinatorChannel: { show: async (handoff) => coordinatorChannel?.show(handoff) },
    referralsMode: config.REFERRALS,
    mashSchemaVersion: mashSchemaVersionOf(config),
    ackWindow: { immediateHours: config.MASH_ACK_HOURS_IMMEDIATE, otherHours: config.MASH_ACK_HOURS },
    delivery: {
      retryBudgetHours: config.MASH_RETRY_HOURS,
      noticeRetryHours: config.NOTICE_RETRY_HOURS,
      probeParkedEveryMs: config.MASH_PARKED_PROBE_MINUTES * 60_000,
      onCredentialsRefused: createMashCredentialsAlert(alertDeps),
    },
    onUnreadable: () => metrics.conversationUnreadable(),
    webChat: { bindings: persistence.webChatBindings, transcripts, newConversationId, channelId: webChatChannelId },
    drafts: { store: persistence.drafts, retentionDays: config.RETENTION_DRAFT_DAYS },
  });
  const mash = await createMashConnection({
    config,
    cipher: persistence.cipher,
    logger,
    referrals: services.referrals,
    delivery: services.deliverOutbox,
    // Never built in production (pen test H1): referrals filed into it reach nobody.
    referenceMash: referenceMashEnabled(config)
      ? ({ token, webhookSecret, webhookUrl }) =>
          createReferenceMash({
            dataDir: config.DATA_DIR,
            cipher: persistence.cipher,
            token,
            logger,
            // Read when an event is sent: the address is known only once the service listens.
            webhook: {
              secret: webhookSecret,
              get url() {
                return webhookUrl();
              },
            },
          })
      : undefined,
  });
  const turns = instrumentTurns(services.turns, metrics);
  const bot = new SafeguardingBot({
    turns,
    logger,
    myReferrals: services.myReferrals.message,
    drafts: { resumeInput: services.drafts.resumeInput, none: services.drafts.noneMessage },
    answerMashQuestion: services.myReferrals.answerQuestion,
    rememberReference: createReferenceRecorder(persistence.conversationReferences, logger),
    maxMessageChars: config.MESSAGE_MAX_CHARS,
    coordinators: {
      actions: services.coordinatorTriage,
      reply: services.coordinatorTriage.replyFromReferrer,
      channelId: config.COORDINATOR_TEAMS_CHANNEL_ID,
      isCoordinator: (aadObjectId) => grantRoles(config, aadObjectId).includes('coordinator'),
    },
  });
  const channelAuthentication = createChannelAuthentication(config);
  const adapter = createAdapter(config, logger, words, channelAuthentication);
  if (config.COORDINATOR_TEAMS_CHANNEL_ID && config.COORDINATOR_SERVICE_URL) {
    coordinatorChannel = createCoordinatorChannel({
      adapter,
      appId: config.MicrosoftAppId,
      serviceUrl: config.COORDINATOR_SERVICE_URL,
      channelId: config.COORDINATOR_TEAMS_CHANNEL_ID,
      logger,
      words,
    });
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
    // Continuity: a professional's binding to their conversation lives as long as the conversation does.
    onAppended: (conversationId) => services.webChatConversations.grew(conversationId),
  });
  notifyNow = createProactiveNotifier({
    cloudAdapter: adapter,
    appId: config.MicrosoftAppId,
    webChatAdapter: directLine.adapter,
    logger,
    references: persistence.conversationReferences,
    cards: cardContextOf(pack),
  });
  // One browser session for the web chat, the tab, the coordinator board and the insight pages.
  const partnershipName = pack.title.split(':')[0];
  const roleList = new Intl.ListFormat('en-GB', { type: 'disjunction' });
  const sessions = createWebSessions({
    key: deriveSessionKey(keys[0].key),
    secure: config.PUBLIC_BASE_URL?.startsWith('https:'),
    maxAgeMs: sessionMaxMs,
    revocations,
    logger,
    // A teacher opening the board gets a page saying whom it is for and whom to ask, not JSON (issue 20).
    forbiddenPage: (user, allowed) => forbiddenPage(words, partnershipName, user.name ?? user.id, roleList.format(allowed.map((role) => words(`role-${role}`)))),
  });
  // Teams SSO (TEAMS_SSO_TENANT_IDS) for every page Teams frames: the "My referrals" and insight tabs.
  const sso = teamsSsoFrom(config);
  const app = createHttpApp({
    messages: messagesEndpoint(adapter, bot),
    store,
    logger,
    inFlight,
    mounts: [
      ['/v3/directline', directLine.router],
      ['/', createMetricsRoute(metrics, config.METRICS_TOKEN)],
      // The accessibility statement: open to anyone, whatever WEBCHAT_AUTH says, linked from every page.
      [
        '/',
        express
          .Router()
          .get('/accessibility', pageSecurityHeaders({ frameableByTeams: true }), (_req, res) => void res.type('html').send(accessibilityPage(words, partnershipName))),
      ],
      ...webChatMounts({
        config,
        sessions,
        pendingKey: deriveSessionKey(keys[0].key, 'oidc-pending-v1'),
        issueToken: (user, session, conversationId) => directLine.issueToken(user, session, conversationId),
        conversations: services.webChatConversations,
        partnershipName,
        words,
        logger,
        bundleDir: bundleDir('webchat'),
      }),
      ...tabMounts({
        sessions,
        words,
        sso,
        sources: services.myReferrals,
        notifications: persistence.conversationReferences,
        webChatChannelId,
        logger,
        bundleDir: bundleDir('tabs'),
        questions: { listFor: services.questions.listFor, answer: services.questions.answer, drafts: services.drafts.listFor },
      }),
      ...mash.mounts,
      // Partnership insight: partnership leads and coordinators only (session or Teams SSO bearer), anonymised counts.
      ['/', createInsightsRoutes({ insights: services.insights, pack, sessions, sso, logger, bundleDir: bundleDir('insights') })],
      // The coordinator board and its API: coordinators only.
      ['/', createBoardRoutes({ service: services.coordinatorTriage, sessions, words, logger, bundleDir: bundleDir('coordinator') })],
    ],
    rawRouters: [mash.webhook],
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
    // Unfinished referrals past RETENTION_DRAFT_DAYS, each removed with an audit entry (both stores).
    await services.drafts.expire();
    // The one sign an operator has that retention runs, and how long a scan of the store takes.
    if (documents !== undefined) logger.info({ documents, ms: Date.now() - started }, 'expired documents purged');
  };
  let purge: NodeJS.Timeout | undefined;
  let server: Server | undefined;

  async function listen(port = config.PORT): Promise<{ server: Server; url: string }> {
    // Fire and forget: a sweep's failure is logged by its catch and the next hour tries again.
    purge = setInterval(() => void purgeAll().catch((err: unknown) => logger.warn({ err }, 'purge failed')), purgeEveryMs).unref();
    // The marker is read before listening: a reset is reported from the first request on. A store that
    // does not answer yet is checked again at every interval.
    await storeGuard.start();
    const host = listenHost(config);
    const listening: Server = await new Promise((resolve) => {
      const s = host ? app.listen(port, host, () => resolve(s)) : app.listen(port, () => resolve(s));
    });
    server = listening;
    const bound = (listening.address() as AddressInfo).port;
    directLine.attach(listening);
    mash.start(`http://127.0.0.1:${bound}`);
    // In the background, after listening (reliability F9): the start-up purge takes the audit lock and reads
    // every stored file, and a restart after a crash must not wait on either.
    void purgeAll().catch((err: unknown) => logger.warn({ err }, 'purge failed'));
    // Effects saved by a turn that crashed before running them (a referral not yet queued) go now, not at
    // the professional's next message. In the background: start-up does not wait on a big store.
    void services.turns
      .sweepPendingEffects()
      .then((counts) => logger.info(counts, 'pending effects swept'))
      .catch((err: unknown) => logger.warn({ err }, 'pending effects sweep failed'));
    const shown = { ...config, PORT: bound };
    logger.info(
      { port: bound, host: host ?? '(all interfaces)', mode: config.NODE_ENV, store: store.kind, pack: `${pack.id}@${pack.version}`, localMode: !config.MicrosoftAppId },
      startBanner(shown, host),
    );
    return { server: listening, url: `http://127.0.0.1:${bound}` };
  }

  async function stop(): Promise<void> {
    if (purge) clearInterval(purge);
    storeGuard.stop();
    services.turns.stop(); // background retries of failed effects: they stay owed in the records
    if (!server) {
      await directLine.close(); // its keep-alive and catch-up timers start when it is built
      await mash.stop();
      await persistence.close();
      return;
    }
    const listening = server;
    // Refuse new turns at once (SG-SHUTTING-DOWN: the channel sends them again), not only after the
    // outbox has stopped: server.close keeps kept-alive connections, and under load (reliability 9a/9b)
    // they carried new turns through the seconds the last MASH delivery took.
    const draining = inFlight.drain(shutdownBudgetMs - 2000);
    const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
    await directLine.close(); // upgraded sockets are not closed by closeAllConnections
    await mash.stop();
    listening.closeIdleConnections();
    const drained = await draining;
    if (!drained) logger.warn({ active: inFlight.active }, 'shutdown: turns still running after the budget');
    listening.closeAllConnections();
    await closed;
    await persistence.close();
  }

  return { app, services, config, listen, stop };
}

export { shutdownBudgetMs };
