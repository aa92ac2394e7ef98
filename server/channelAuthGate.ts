import type { RequestHandler } from 'express';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { decodeJwt } from 'jose';
import type { Logger } from './logger';
import { sendProblem } from './problem';

/** How long a channel should wait before retrying while the signing keys cannot be fetched. */
const keysRetryAfterSeconds = 30;

/**
 * The signing keys could not be had: the metadata or key endpoint was unreachable or answered an error.
 * botbuilder reports the first as a fetch error and the second as an AuthenticationError with 500.
 */
function keysUnavailable(error: unknown): boolean {
  const e = error as { name?: string; type?: string; statusCode?: number; code?: string };
  if (error instanceof AuthenticationError) return e.statusCode === 500;
  return e.name === 'FetchError' || e.type === 'system' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code));
}

/**
 * botbuilder accepts a correctly signed token without `exp` (pen test L4); the Bot Framework always sends
 * one, so a token without it is refused. Runs only after botbuilder verified the signature.
 */
function expires(authorization: string): boolean {
  try {
    return typeof decodeJwt(authorization.replace(/^Bearer\s+/i, '')).exp === 'number';
  } catch {
    return false;
  }
}

/**
 * Checks the Bot Framework JWT before botbuilder's adapter runs the turn, with the same authentication
 * object (so the same rules and the same cached keys). botbuilder itself answers 500 for a token whose
 * signature does not verify and for keys it cannot fetch; here a bad token is always 401, and keys that
 * cannot be fetched are 503 with Retry-After (the channel retries), never a turn and never a 5xx crash
 * page. Local mode (no app id) has nothing to check: the adapter accepts anonymous requests then.
 */
export function channelAuthGate(auth: BotFrameworkAuthentication, enabled: boolean, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    if (!enabled) return next();
    try {
      await auth.authenticateRequest(req.body as Activity, req.get('authorization') ?? '');
      if (!expires(req.get('authorization') ?? '')) {
        logger.info({ reason: 'no-exp' }, 'channel auth: token refused');
        return sendProblem(res, 'SG-AUTH-CHANNEL-INVALID');
      }
      next();
    } catch (error) {
      if (keysUnavailable(error)) {
        logger.error({ reason: (error as Error).name }, 'channel auth: signing keys unavailable');
        res.set('Retry-After', String(keysRetryAfterSeconds));
        return sendProblem(res, 'SG-AUTH-CHANNEL-KEYS-UNAVAILABLE', 'Try again shortly.');
      }
      logger.info({ reason: (error as Error).name }, 'channel auth: token refused');
      return sendProblem(res, 'SG-AUTH-CHANNEL-INVALID');
    }
  };
}
