import type { RequestHandler } from 'express';
import type { ChannelIdentity, ChannelTokenCheck } from '../bot';
import type { Logger } from './logger';
import { sendProblem } from './http';

/** How long a channel should wait before retrying while the signing keys cannot be fetched. */
const keysRetryAfterSeconds = 30;

/**
 * Checks the Bot Framework JWT before the adapter runs the turn: a bad token is always 401, and keys
 * that cannot be fetched are 503 with Retry-After (the channel retries), never a turn and never a 5xx
 * crash page. The verified claims go to the messages route in `res.locals.channelIdentity` (`channelIdentityOf`).
 * Local mode (no app id) has nothing to check: the adapter accepts anonymous requests then.
 */
export function channelAuthGate(check: ChannelTokenCheck, enabled: boolean, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    if (!enabled) return next();
    const verdict = await check(req.body, req.get('authorization') ?? '');
    if (verdict.ok) {
      res.locals.channelIdentity = verdict.identity;
      return next();
    }
    if (verdict.reason === 'keys-unavailable') {
      logger.error({ reason: verdict.error }, 'channel auth: signing keys unavailable');
      res.set('Retry-After', String(keysRetryAfterSeconds));
      return sendProblem(res, 'SG-AUTH-CHANNEL-KEYS-UNAVAILABLE', 'Try again shortly.');
    }
    logger.info({ reason: verdict.reason === 'no-exp' ? 'no-exp' : verdict.error }, 'channel auth: token refused');
    return sendProblem(res, 'SG-AUTH-CHANNEL-INVALID');
  };
}

/** The claims the gate verified for this request; none in local mode. */
export function channelIdentityOf(res: { locals: Record<string, unknown> }): ChannelIdentity | undefined {
  return res.locals.channelIdentity as ChannelIdentity | undefined;
}
