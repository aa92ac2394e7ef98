import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { isDomainError, clientReferenceSchema, intelligenceBodySchema, problemErrorsOf, referralBodySchema, referralMessageSchema, type ProblemError } from '../../flows';
import { canonicalHash } from './canonicalHash';
import { referralRecordOf } from './referenceMashRecords';
import type { ReferenceMashStore } from './referenceMashStore';

type Answer = Record<string, string>;

/**
 * One kind of idempotent POST. `answer` makes the first answer (undefined: the target does not
 * exist); `keep` stores what was filed and must be safe to run again, because a replay runs it to
 * repair a filing that crashed between claiming the key and keeping the record.
 */
interface Filing<T> {
  kind: 'referral' | 'message' | 'intelligence';
  schema: z.ZodType<T>;
  answer(body: T, req: Request): Promise<Answer | undefined>;
  keep(body: T, answer: Answer, req: Request): Promise<void>;
}

export interface ReferenceMashApiOptions {
  store: ReferenceMashStore;
  token: string;
  now: () => Date;
}

/** The contract's problem details: `about:blank` and a title, as the partnership's MASH answers. */
function problem(res: Response, status: number, title: string, errors?: ProblemError[]): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, ...(errors ? { errors } : {}) }));
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerAuth(token: string): RequestHandler {
  return (req, res, next) => {
    const given = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given !== undefined && sameSecret(given, token)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="reference-mash"');
    problem(res, 401, 'A valid bearer token is required');
  };
}

/** The Idempotency-Key protocol shared by every POST: validate, replay or refuse a reused key, else file once. */
function idempotent<T>(store: ReferenceMashStore, filing: Filing<T>): RequestHandler {
  return async (req, res) => {
    const key = clientReferenceSchema.safeParse(req.get('idempotency-key'));
    if (!key.success) return problem(res, 400, 'invalid request', [{ path: '(header) Idempotency-Key', message: 'is required: 8 to 128 letters, digits or . _ : -' }]);
    const parsed = filing.schema.safeParse(req.body);
    if (!parsed.success) return problem(res, 400, 'invalid request', problemErrorsOf(parsed.error));
    // The kind and the target are part of "the same request": one key cannot file a message on two referrals.
    const hash = canonicalHash({ kind: filing.kind, target: req.params.referralId ?? null, body: req.body as unknown });
    const replay = async (kept: { hash: string; answer: Answer }) => {
      if (kept.hash !== hash) return problem(res, 422, 'Idempotency-Key reused with a different request');
      await filing.keep(parsed.data, kept.answer, req);
      res.status(200).json(kept.answer);
    };
    const previous = await store.keyRecord(key.data);
    if (previous) return replay(previous);
    const answer = await filing.answer(parsed.data, req);
    if (!answer) return problem(res, 404, 'No such referral');
    const claim = await store.claimKey(key.data, { hash, answer });
    if (!claim.won) return replay(claim.record);
    await filing.keep(parsed.data, answer, req);
    res.status(201).json(answer);
  };
}

/** Body-parser failures and "no such referral" in the contract's own shape; anything else is the service's 500. */
const contractErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return problem(res, 400, 'invalid request', [{ path: '(body)', message: 'is not JSON' }]);
  if (type === 'entity.too.large') return problem(res, 413, 'Request body is too large');
  if (isDomainError(error) && error.status === 404) return problem(res, 404, 'No such referral');
  next(error);
};

/**
 * The MASH intake contract (docs/mash-intake.openapi.yaml) as the reference MASH serves it at
 * `/mash/v1`: bearer auth, exactly-once filing by Idempotency-Key, problem+json `errors` that name
 * fields but never quote their values.
 */
export function referenceMashApi({ store, token, now }: ReferenceMashApiOptions): Router {
  const router = express.Router();
  router.use(bearerAuth(token));
  router.use(express.json({ limit: '256kb' }));

  router.post(
    '/referrals',
    idempotent(store, {
      kind: 'referral',
      schema: referralBodySchema,
      answer: async () => {
        const at = now();
        const reference = await store.allocateReference(at);
        return { referralId: randomUUID(), reference, status: 'received', receivedAt: at.toISOString() };
      },
      keep: (body, answer) => store.ensureReferral(referralRecordOf(body, { referralId: answer.referralId, reference: answer.reference }, new Date(answer.receivedAt))),
    }),
  );

  router.get('/referrals/:referralId', async (req, res) => {
    const referral = await store.getReferral(req.params.referralId);
    if (!referral) return problem(res, 404, 'No such referral');
    const { referralId, reference, status, decision } = referral;
    res.json({ referralId, reference, status, ...(decision ? { decision } : {}) });
  });

  router.post(
    '/referrals/:referralId/messages',
    idempotent(store, {
      kind: 'message',
      schema: referralMessageSchema,
      answer: async (_message, req) => ((await store.getReferral(String(req.params.referralId))) ? { messageId: randomUUID(), receivedAt: now().toISOString() } : undefined),
      keep: async (message, answer, req) => {
        await store.updateReferral(String(req.params.referralId), (r) =>
          r.history.some((h) => h.kind === 'message' && h.messageId === answer.messageId)
            ? undefined
            : {
                ...r,
                history: [
                  ...r.history,
                  { kind: 'message', at: answer.receivedAt, messageId: answer.messageId, text: message.text, ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}) },
                ],
              },
        );
      },
    }),
  );

  router.post(
    '/intelligence',
    idempotent(store, {
      kind: 'intelligence',
      schema: intelligenceBodySchema,
      answer: async () => ({ intelligenceId: randomUUID(), receivedAt: now().toISOString() }),
      keep: (body, answer) =>
        store.ensureIntelligence({
          intelligenceId: answer.intelligenceId,
          receivedAt: answer.receivedAt,
          clientReference: body.clientReference,
          themes: body.volt.themes,
          summary: body.summary,
        }),
    }),
  );

  router.use((_req, res) => problem(res, 404, 'Not a route of the MASH intake API'));
  router.use(contractErrors);
  return router;
}
