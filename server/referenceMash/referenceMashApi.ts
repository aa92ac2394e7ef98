import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { intelligenceBodySchema, problemErrorsOf, referralBodySchema, referralMessageSchema } from '../../integrations';
import { canonicalHash, type ReferenceMashStore } from './referenceMashStore';

function problem(res: Response, status: number, title: string, errors?: Array<{ path: string; message: string }>): void {
  res.status(status).type('application/problem+json').json({ type: 'about:blank', title, status, ...(errors ? { errors } : {}) });
}

function ageOf(dateOfBirth: string | undefined, ageYears: number | undefined, now: Date): string {
  if (ageYears !== undefined) return String(ageYears);
  if (!dateOfBirth) return 'unknown';
  const dob = new Date(`${dateOfBirth}T00:00:00Z`);
  const age = now.getUTCFullYear() - dob.getUTCFullYear() - (now < new Date(Date.UTC(now.getUTCFullYear(), dob.getUTCMonth(), dob.getUTCDate())) ? 1 : 0);
  return String(age);
}

/**
 * The MASH intake contract (docs/mash-intake.openapi.yaml) as the reference MASH serves it at /mash/v1:
 * bearer auth, Idempotency-Key replay (same body → 200 and the same answer, other body → 422), and
 * problem+json with `errors` for invalid bodies (paths and messages, never values).
 */
export function referenceMashApi(options: { store: ReferenceMashStore; token: string; now: () => Date }): Router {
  const { store, now } = options;
  const router = express.Router();

  router.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${options.token}`) return problem(res, 401, 'A valid bearer token is required');
    next();
  });

  /** The shared POST pattern: key, validation, replay, then `create` for a new key. */
  const idempotent = <T>(schema: z.ZodType<T>, create: (body: T, req: Request) => Promise<Record<string, unknown> | undefined>) =>
    async (req: Request, res: Response) => {
      const key = req.get('idempotency-key');
      if (!key) return problem(res, 400, 'Idempotency-Key header is required', [{ path: '(header) Idempotency-Key', message: 'is required' }]);
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return problem(res, 400, 'The body does not match the contract', problemErrorsOf(parsed.error));
      const hash = canonicalHash(req.body);
      const previous = await store.replay(key, hash);
      if (previous) {
        if (!previous.sameBody) return problem(res, 422, 'This Idempotency-Key was used with a different body');
        return res.status(200).json(previous.answer);
      }
      const answer = await create(parsed.data, req);
      if (!answer) return problem(res, 404, 'No such referral');
      const kept = await store.remember(key, hash, 201, answer);
      res.status(kept.status === 201 && kept.answer === answer ? 201 : 200).json(kept.answer);
    };

  router.post('/referrals', idempotent(referralBodySchema, async (body) => {
    const referralId = randomUUID();
    const at = now();
    const reference = await store.allocate(referralId, at.getUTCFullYear());
    const child = body.child as { firstName: string; dateOfBirth?: string; ageYears?: number };
    await store.saveReferral({
      referralId, reference, clientReference: body.clientReference, receivedAt: at.toISOString(), urgency: body.urgency,
      category: body.screening.category, childInitial: child.firstName.slice(0, 1).toUpperCase(),
      age: ageOf(child.dateOfBirth, child.ageYears, at), summary: body.concern.summary, status: 'received',
      history: [{ at: at.toISOString(), what: 'received' }],
    });
    return { referralId, reference, status: 'received', receivedAt: at.toISOString() };
  }));

  router.get('/referrals/:id', async (req, res) => {
    const referral = await store.getReferral(String(req.params.id));
    if (!referral) return problem(res, 404, 'No such referral');
    res.json({ referralId: referral.referralId, reference: referral.reference, status: referral.status, ...(referral.decision ? { decision: referral.decision } : {}) });
  });

  router.post('/referrals/:id/messages', idempotent(referralMessageSchema, async (message, req) => {
    const id = String(req.params.id);
    if (!(await store.getReferral(id))) return undefined;
    const at = now().toISOString();
    await store.updateReferral(id, (r) => ({ ...r, history: [...r.history, { at, what: `referrer answered: ${message.text.slice(0, 500)}` }] }));
    return { messageId: randomUUID(), receivedAt: at };
  }));

  router.post('/intelligence', idempotent(intelligenceBodySchema, async () => ({ intelligenceId: randomUUID(), receivedAt: now().toISOString() })));
  return router;
}
