import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { parseMashEvent } from '../../flows';
import { verifyMashSignature } from '../../integrations';
import { sendProblem } from '../http';
import type { ReferralService } from '../services';

/**
 * `POST /api/mash/events`: status events from the MASH. The signature covers the raw bytes, so this
 * route reads the body raw (it is mounted before the JSON parser). A bad or stale signature is 401; a
 * repeated eventId is a 200 that changes nothing (the MASH retries until it sees a 2xx).
 */
export function mashWebhookRouter(options: { secret: string; referrals: Pick<ReferralService, 'onMashEvent'>; logger: Logger; now?: () => number }): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  router.post('/api/mash/events', express.raw({ type: () => true, limit: '256kb' }), async (req, res, next) => {
    try {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyMashSignature(raw, req.get('X-MASH-Timestamp'), req.get('X-MASH-Signature'), options.secret, now());
      if (!check.ok) {
        options.logger.warn({ reason: check.reason }, 'MASH event refused');
        return sendProblem(res, 'SG-MASH-SIGNATURE', `The event signature is ${check.reason}.`);
      }
      const parsed = parseMashEvent(raw);
      if (!parsed.ok) return sendProblem(res, 'SG-MASH-BAD-EVENT', parsed.errors.map((e) => `${e.path} ${e.message}`).join('; '));
      const outcome = await options.referrals.onMashEvent(parsed.event);
      options.logger.info({ event: parsed.event.eventId, type: parsed.event.type, outcome }, 'MASH event');
      res.json({ status: outcome });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
