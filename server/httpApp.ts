import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import type { MessagesEndpoint } from '../bot';
import type { ConversationStore } from '../integrations';
import type { Logger } from './logger';
import { notFound, problemHandler, sendProblem } from './http';
import type { InFlight } from './inFlight';
import { validateActivityEnvelope } from './activityEnvelope';
import { loopbackServiceUrlOnly } from './loopbackServiceUrl';
import { channelIdentityOf } from './channelAuthGate';
import { appSecurityHeaders } from './webchat';
import { conversationOf, ipOf, memoryRateCounter, rateLimit, type AbuseLimits, type RateCounter } from './limits';

export interface HttpAppDeps {
  /** `POST /api/messages`: the Bot Framework adapter running the bot (`bot/channelEndpoints.ts`). */
  messages: MessagesEndpoint;
  store: ConversationStore;
  logger: Logger;
  inFlight: InFlight;
  /** Routers mounted before the 404 handler, e.g. the Direct Line endpoint at /v3/directline. */
  mounts?: Array<[path: string, router: Router]>;
  /** Mount paths whose routers parse their own bodies with their own limit (Direct Line: 64 kB): the app-wide parser skips them. */
  ownBodyPaths?: string[];
  /** Routers that read their own body (signed webhooks), mounted before the JSON parser. */
  rawRouters?: Router[];
  /** Rate limits (defaults: README configuration table). */
  limits?: Pick<AbuseLimits, 'ipPerMinute' | 'conversationPerMinute' | 'signInPerMinute'>;
  /** Which channels and tenants `/api/messages` takes (`channelIdentityGate`, pen test M3); none: any. */
  channelIdentity?: RequestHandler;
  /** Checks the Bot Framework JWT before the turn (`channelAuthGate`); none: the adapter's check alone. */
  channelAuth?: RequestHandler;
  /** Where rate limits count: shared through Redis when the service runs on it; default per instance. */
  rateCounter?: RateCounter;
  /** Where the per-message limits of `/api/messages` count (a turn's path: batched on Redis); default `rateCounter`. */
  messageRateCounter?: RateCounter;
  /** Published over https (PUBLIC_BASE_URL): turns on HSTS. */
  https?: boolean;
  /** TRUST_PROXY: express's `trust proxy` (a hop count or proxy addresses/CIDRs); unset: trust no X-Forwarded-For. */
  trustProxy?: number | string[];
  /** Local mode (no app id): activities must name a loopback serviceUrl (`loopbackServiceUrlOnly`). */
  localMode?: boolean;
  /**
   * The "page not found" page for a browser (a GET whose Accept prefers HTML to JSON, issue 20); API
   * clients keep the problem+json 404. None: problem+json for everyone.
   */
  notFoundPage?: RequestHandler;
  /** Whether this instance saw the store reset (server/storeGuard.ts); false when not given. */
  storeReset?: () => boolean;
}

const minute = 60_000;
/** How long a channel should wait before retrying a turn that could not begin. */
const channelRetryAfterSeconds = 30;
/**
 * Sign-in attempts and web chat token requests, each counted in its own per-address bucket; page views
 * (`GET /signin`) and sign-out are not counted, so browsing cannot spend the sign-in allowance (pen test M6).
 */
export const rateLimitedPosts = [
  ['/signin', 'signin-ip'],
  ['/webchat/token', 'webchat-token-ip'],
] as const;

/** JSON that can carry personal data (transcripts, handoffs, referral lists): never kept by a cache (pen test L5). */
export const noStorePaths = ['/api', '/v3/directline', '/tabs/sso'];

const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
};

export const jsonBodyLimit = '256kb';

/** Method, route and status only: paths and query strings can carry tokens, bodies carry personal data. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug({ method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? req.path, status: res.statusCode, ms: Math.round(ms) }, 'http');
    });
    next();
  };
}

/** /readyz answers within this even when the store hangs (reliability F4: it gave no answer for 20 s). */
export const readinessDeadlineMs = 2000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Liveness and readiness. `storeReset` (issue 18 item 2) is reported in both bodies but changes neither
 * status: after a reset the advice and the 999 message must stay online. /readyz fails only when this
 * instance cannot write (the store's ping writes a probe: reliability F10).
 */
function healthRoutes(app: Express, store: ConversationStore, logger: Logger, storeReset: () => boolean): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', storeReset: storeReset() });
  });
  let failing = false;
  app.get('/readyz', async (_req, res) => {
    try {
      await withDeadline(store.ping(), readinessDeadlineMs);
      if (failing) logger.info({ store: store.kind }, 'store writable again: ready');
      failing = false;
      res.json({ status: 'ready', store: store.kind, storeReset: storeReset() });
    } catch (error) {
      // Once per outage at warn; a probe every few seconds must not flood the log.
      if (!failing) logger.warn({ err: error, store: store.kind }, 'store not writable: not ready');
      failing = true;
      sendProblem(res, 'SG-STORE-UNAVAILABLE', `The ${store.kind} store cannot be written just now.`);
    }
  });
}

/**
 * The app-wide JSON parser, except under `paths`: a body parsed here would never reach a router's own
 * smaller limit (pen test M1: Direct Line's 64 kB was dead code behind the global 256 kB).
 */
function skipping(paths: string[], parser: RequestHandler): RequestHandler {
  return (req, res, next) => (paths.some((p) => req.path === p || req.path.startsWith(`${p}/`)) ? next() : parser(req, res, next));
}

/** A browser navigating: it prefers HTML to JSON. API clients, and an Accept of any type, get JSON (listed first). */
const wantsPage = (req: Request) => (req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html';

/** The HTTP surface: health, the Bot Framework endpoint, and problem+json for everything that fails. */
export function createHttpApp({
  messages,
  store,
  logger,
  inFlight,
  mounts = [],
  rawRouters = [],
  limits,
  rateCounter = memoryRateCounter(),
  messageRateCounter = rateCounter,
  channelAuth,
  channelIdentity,
  https = false,
  trustProxy,
  localMode = false,
  ownBodyPaths = [],
  storeReset = () => false,
  notFoundPage,
}: HttpAppDeps): Express {
  const { ipPerMinute = 600, conversationPerMinute = 60, signInPerMinute = 30 } = limits ?? {};
  const app = express();
  app.disable('x-powered-by');
  // req.ip, and with it the rate limits and the /metrics guard, believes X-Forwarded-For only from these.
  app.set('trust proxy', trustProxy ?? false);
  app.use(appSecurityHeaders({ https }));
  app.use(requestLog(logger));
  for (const [path, name] of rateLimitedPosts) app.post(path, rateLimit([{ name, limit: signInPerMinute, windowMs: minute, keyOf: ipOf }], rateCounter));
  app.use(noStorePaths, noStore);
  for (const router of rawRouters) app.use(router);
  app.use(skipping(ownBodyPaths, express.json({ limit: jsonBodyLimit })));
  healthRoutes(app, store, logger, storeReset);
  const messagesPerIp = rateLimit([{ name: 'messages-ip', limit: ipPerMinute, windowMs: minute, keyOf: ipOf }], messageRateCounter);
  const messagesPerConversation = rateLimit([{ name: 'messages-conversation', limit: conversationPerMinute, windowMs: minute, keyOf: conversationOf }], messageRateCounter);
  // The token is checked before the per-conversation limit, so an unauthenticated flood cannot spend a real conversation's allowance.
  const authenticated: RequestHandler[] = [...(channelIdentity ? [channelIdentity] : []), ...(localMode ? [loopbackServiceUrlOnly] : []), ...(channelAuth ? [channelAuth] : [])];
  app.post('/api/messages', messagesPerIp, validateActivityEnvelope, ...authenticated, messagesPerConversation, async (req, res) => {
    if (inFlight.closing) return sendProblem(res, 'SG-SHUTTING-DOWN', 'Retry against another instance.');
    const outcome = await inFlight.track(() => messages(req, res, channelIdentityOf(res)));
    if (outcome.answered) return;
    if (outcome.reason === 'invalid') return sendProblem(res, 'SG-HTTP-BAD-REQUEST', 'Not a Bot Framework activity the channel SDK accepts.');
    // Nothing ran (the bot's own token for replies could not be had, say): the channel may retry.
    logger.error({ err: outcome.error }, 'channel turn not started');
    res.set('Retry-After', String(channelRetryAfterSeconds));
    sendProblem(res, 'SG-CHANNEL-REPLY-UNAVAILABLE', 'Try again shortly.');
  });
  for (const [path, router] of mounts) app.use(path, router);
  app.use(notFoundPage ? (req, res, next) => (wantsPage(req) ? notFoundPage(req, res, next) : notFound(req, res, next)) : notFound);
  app.use(problemHandler(logger));
  return app;
}
