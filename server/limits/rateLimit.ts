import type { Request, RequestHandler } from 'express';
import { createRateLimiter } from '../directline';
import { sendProblem } from '../problem';

export interface RateRule {
  /** Names the rule in the key space, so two rules never share a count. */
  name: string;
  /** Requests allowed per window for one key. */
  limit: number;
  windowMs: number;
  /** The key to count under (an IP, a conversation id); undefined: this rule does not apply. */
  keyOf: (req: Request) => string | undefined;
}

/**
 * 429 with `Retry-After` once a key used its allowance. Counts are per instance (the Direct Line's
 * sliding window, reused): behind N instances a client gets at most N times the limit, still bounded.
 * Checked before authentication, so even unauthenticated floods are cut off cheaply.
 */
export function rateLimit(rules: RateRule[], now: () => number = Date.now): RequestHandler {
  const limiters = rules.map((rule) => ({ rule, take: createRateLimiter({ limit: rule.limit, windowMs: rule.windowMs, now }) }));
  return (req, res, next) => {
    for (const { rule, take } of limiters) {
      const key = rule.keyOf(req);
      if (key === undefined) continue;
      const taken = take(key);
      if (taken.ok) continue;
      res.set('Retry-After', String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))));
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
