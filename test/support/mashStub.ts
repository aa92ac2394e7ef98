import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { intelligenceBodySchema, problemErrorsOf, referralBodySchema, referralMessageSchema, type ProblemError } from '../../flows';

/** One injected misbehaviour, used up by the next intake request (token requests are never faulted). */
export type MashFault =
  | { kind: 'status'; status: number; retryAfter?: string; errors?: ProblemError[] }
  | { kind: 'drop' } // the connection drops before the MASH stores anything
  | { kind: 'lose' } // the MASH stores the request, then the connection drops: a retry must be a replay
  | { kind: 'hang'; ms: number } // the answer comes too late
  | { kind: 'html'; status: number } // a gateway's error page: text/html, not problem+json
  | { kind: 'badBody' }; // the MASH stores the request, then answers 2xx with a body that breaks the contract

export interface MashStubOptions {
  /** A static bearer token the stub accepts (`MASH_API_TOKEN`). */
  token?: string;
  /** Enables `POST /oauth/token` (client credentials) and accepts the tokens it issues. */
  oauth?: { clientId: string; clientSecret: string; expiresIn?: number };
}

interface Stored {
  kind: 'referral' | 'message' | 'intelligence';
  canonical: string;
  status: number;
  answer: Record<string, unknown>;
}

/** Same JSON whatever the key order, so "same body" means the same content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function problem(res: Response, status: number, title: string, errors?: ProblemError[]): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, ...(errors ? { errors } : {}) }));
}

/**
 * A local MASH intake (the contract of issue 5) for tests, on 127.0.0.1 and a free port. It files by
 * Idempotency-Key, validates bodies with the same zod schemas as the client, counts how many times each
 * key was stored (the exactly-once evidence), and misbehaves on demand.
 */
export async function startMashStub(options: MashStubOptions = {}) {
  const faults: MashFault[] = [];
  const stored = new Map<string, Stored>();
  const storeCounts = new Map<string, number>();
  const issuedTokens = new Map<string, number>(); // token → expiry (ms)
  /** Every intake request: its status, or `dropped` when the connection was cut. */
  const log: { method: string; path: string; key?: string; outcome: number | 'dropped' }[] = [];
  let outageUntil = 0;
  let inFlight = 0;
  let unauthorisedNext = false;
  let tokenRequests = 0;
  let sequence = 0;

  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false }));

  app.post('/oauth/token', (req, res) => {
    tokenRequests++;
    const { grant_type: grant, client_id: id, client_secret: secret } = req.body as Record<string, string | undefined>;
    if (!options.oauth || grant !== 'client_credentials' || id !== options.oauth.clientId || secret !== options.oauth.clientSecret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const token = randomBytes(16).toString('hex');
    const expiresIn = options.oauth.expiresIn ?? 3600;
    issuedTokens.set(token, Date.now() + expiresIn * 1000);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  });

  const drop = (req: Request) => {
    log.push({ method: req.method, path: req.path, key: req.get('idempotency-key'), outcome: 'dropped' });
    req.socket.destroy();
  };

  /** Outage, then injected faults, then authentication: in the order a real gateway would fail. */
  const gate: RequestHandler = async (req, res, next) => {
    inFlight++;
    res.on('close', () => inFlight--);
    res.on('finish', () => log.push({ method: req.method, path: req.path, key: req.get('idempotency-key'), outcome: res.statusCode }));
    if (Date.now() < outageUntil) return drop(req);
    const fault = faults[0]?.kind === 'lose' || faults[0]?.kind === 'badBody' ? undefined : faults.shift();
    if (fault?.kind === 'drop') return drop(req);
    if (fault?.kind === 'hang') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'html') return void res.status(fault.status).type('text/html').send('<html><body><h1>Internal Server Error</h1></body></html>');
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) res.set('retry-after', fault.retryAfter);
      return problem(res, fault.status, 'injected fault', fault.errors);
    }
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const valid = token !== undefined && (token === options.token || (issuedTokens.get(token) ?? 0) > Date.now());
    if (!valid || unauthorisedNext) {
      if (unauthorisedNext) issuedTokens.clear(); // as if the tokens were revoked
      unauthorisedNext = false;
      return problem(res, 401, 'unauthorised');
    }
    next();
  };

  /** POSTs are filed once per Idempotency-Key: the same body gets the same answer, another body a 422. */
  function idempotentPost(kind: Stored['kind'], schema: z.ZodType, answerOf: (req: Request) => Record<string, unknown> | undefined): RequestHandler {
    return (req, res) => {
      const key = req.get('idempotency-key');
      if (!key) return problem(res, 400, 'Idempotency-Key is required', [{ path: '(header) Idempotency-Key', message: 'is required' }]);
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return problem(res, 400, 'invalid request', problemErrorsOf(parsed.error));
      const body = canonical(req.body);
      const existing = stored.get(key);
      if (existing) {
        if (existing.kind !== kind || existing.canonical !== body) return problem(res, 422, 'Idempotency-Key reused with a different request');
        return void res.status(200).json(existing.answer);
      }
      const answer = answerOf(req);
      if (!answer) return problem(res, 404, 'no such referral');
      stored.set(key, { kind, canonical: body, status: 201, answer });
      storeCounts.set(key, (storeCounts.get(key) ?? 0) + 1);
      if (faults[0]?.kind === 'lose') {
        faults.shift();
        return drop(req);
      }
      if (faults[0]?.kind === 'badBody') {
        faults.shift();
        return void res.status(201).json({ id: answer.referralId ?? answer.messageId ?? 'x', state: 'ok' });
      }
      res.status(201).json(answer);
    };
  }

  const now = () => new Date().toISOString();
  const referralByIdOf = (id: string) => [...stored.values()].find((s) => s.kind === 'referral' && s.answer.referralId === id);

  app.use('/mash/v1', gate);
  app.post(
    '/mash/v1/referrals',
    idempotentPost('referral', referralBodySchema, () => {
      sequence++;
      return { referralId: `mash-${sequence}`, reference: `MASH-2025-${String(sequence).padStart(6, '0')}`, status: 'received', receivedAt: now() };
    }),
  );
  app.get('/mash/v1/referrals/:referralId', (req, res) => {
    const found = referralByIdOf(String(req.params.referralId));
    if (!found) return problem(res, 404, 'no such referral');
    res.json({ referralId: found.answer.referralId, reference: found.answer.reference, status: 'received' });
  });
  app.post(
    '/mash/v1/referrals/:referralId/messages',
    idempotentPost('message', referralMessageSchema, (req) => (referralByIdOf(String(req.params.referralId)) ? { messageId: `msg-${++sequence}`, receivedAt: now() } : undefined)),
  );
  app.post(
    '/mash/v1/intelligence',
    idempotentPost('intelligence', intelligenceBodySchema, () => ({ intelligenceId: `intel-${++sequence}`, receivedAt: now() })),
  );

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: `${origin}/mash/v1`,
    tokenUrl: `${origin}/oauth/token`,
    /** How many times a request was stored under this key: 1 is exactly once. */
    storedCount: (key: string) => storeCounts.get(key) ?? 0,
    storedKeys: () => [...storeCounts.keys()],
    /** The answer the stub gave (and replays) for a key. */
    answerFor: (key: string) => stored.get(key)?.answer,
    storedBody: (key: string) => (stored.has(key) ? (JSON.parse(stored.get(key)!.canonical) as unknown) : undefined),
    tokenRequests: () => tokenRequests,
    log,
    /** Queues faults for the next intake requests, in order. */
    inject: (...next: MashFault[]) => faults.push(...next),
    pendingFaults: () => faults.length,
    /** Intake requests received and not yet answered (or dropped): deliveries in flight. */
    inFlight: () => inFlight,
    /** Every intake request drops its connection for `ms`. */
    outage: (ms: number) => (outageUntil = Date.now() + ms),
    /** Changes the static bearer token the stub accepts (a token revoked, then a new one issued). */
    setToken: (next: string | undefined) => (options.token = next),
    /** The next intake request gets a 401 and every issued token is revoked, forcing a refresh. */
    unauthorisedOnce: () => (unauthorisedNext = true),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type MashStub = Awaited<ReturnType<typeof startMashStub>>;
