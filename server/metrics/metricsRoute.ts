import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { sendProblem } from '../http';
import type { ServiceMetrics } from './serviceMetrics';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function bearerMatches(req: Request, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Headers a proxy adds: a request carrying one came through a proxy, whatever its socket address says. */
const forwardedHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Loopback as express sees the client (`req.ip`, which follows TRUST_PROXY). Without TRUST_PROXY, a
 * request that carries a proxy's header is not treated as loopback: a proxy on the same host (nginx, a
 * sidecar) would otherwise make every outside scrape look local (pen test M6).
 */
function fromLoopback(req: Request): boolean {
  const trustsProxies = req.app.get('trust proxy') !== false;
  if (!trustsProxies && forwardedHeaders.some((h) => req.get(h) !== undefined)) return false;
  return loopback.has(req.ip ?? req.socket.remoteAddress ?? '');
}

/**
 * `GET /metrics`. With METRICS_TOKEN set, a scraper must send it as a bearer token, from anywhere
 * including loopback; without it, only loopback may scrape (a sidecar or an SSH tunnel), because the
 * counts reveal activity levels of a safeguarding service even with no personal data in them.
 */
export function createMetricsRoute(metrics: ServiceMetrics, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (token ? !bearerMatches(req, token) : !fromLoopback(req)) {
      return token
        ? sendProblem(res, 'SG-AUTH-UNAUTHENTICATED', 'Send the metrics token as a bearer token.')
        : sendProblem(res, 'SG-AUTH-FORBIDDEN', 'Metrics are served to loopback only unless METRICS_TOKEN is set.');
    }
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
