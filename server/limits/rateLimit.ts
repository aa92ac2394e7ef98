import type { Request, RequestHandler } from 'express';
import { sendProblem } from '../problem';
import { memoryRateCounter, type RateCounter, type RateRuleLimit } from './rateCounter';

export interface RateRule extends RateRuleLimit {
  /** The key to count under (an IP, a conversation id); undefined: this rule does not apply. */
  keyOf: (req: Request) => string | undefined;
}

/** Seconds for `Retry-After`: at least 1, rounded up. */
export const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * 429 with `Retry-After` once a key used its allowance. Counted by `counter`: shared through Redis
 * when the service runs on Redis (every instance together allows the limit), else per instance.
 * Checked before authentication, so even unauthenticated floods are cut off cheaply.
 */
export function rateLimit(rules: RateRule[], counter: RateCounter = memoryRateCounter()): RequestHandler {
  return async (req, res, next) => {
    for (const rule of rules) {
      const key = rule.keyOf(req);
      if (key === undefined) continue;
      const taken = await counter.take(rule, key);
      if (taken.ok) continue;
      res.set('Retry-After', retryAfterSeconds(taken.retryAfterMs));
      return sendProblem(res, 'SG-RATE-LIMITED', 'Please wait a little before sending more.');
    }
    next();
  };
}

/** The caller's address as the socket saw it (no `trust proxy`: a forged X-Forwarded-For cannot dodge the limit). */
export const ipOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** The conversation of a Bot Framework activity, once the envelope is validated (body is an object then). */
export function conversationOf(req: Request): string | undefined {
  const id = (req.body as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
  return typeof id === 'string' ? id : undefined;
}
