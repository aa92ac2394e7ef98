import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { sendProblem } from '../http';
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

/**
 * The caller's address as express computes it: the socket address unless TRUST_PROXY names the proxies
 * in front (`trust proxy`), so a forged X-Forwarded-For from anyone else cannot dodge the limit. An
 * IPv6 client counts by its /64 (one subscriber's whole prefix), or a /64 would be 2^64 buckets (pen test M6).
 */
export const ipOf = (req: Request): string => clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/** An IPv4 address as is (IPv4-mapped IPv6 unwrapped); an IPv6 address as its /64 prefix. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.split('%')[0].toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The conversation of a Bot Framework activity, once the envelope is validated (body is an object then). */
export function conversationOf(req: Request): string | undefined {
  const id = (req.body as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
  return typeof id === 'string' ? id : undefined;
}
