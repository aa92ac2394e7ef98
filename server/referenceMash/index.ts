import express, { type Router } from 'express';
import type { EnvelopeCipher } from '../../integrations';
import type { Logger } from '../logger';
import { createEventSender, type WebhookTarget } from './mashEventSender';
import { createPageSession } from './pageSession';
import { referenceMashApi } from './referenceMashApi';
import { referenceMashPage } from './referenceMashPage';
import { createReferenceMashStore } from './referenceMashStore';
export { referenceMashFolders } from './referenceMashStore';

export interface ReferenceMashOptions {
  /** `DATA_DIR`; the reference MASH keeps its data under `<dataDir>/reference-mash/`. */
  dataDir: string;
  /** Encrypts everything it stores (the service's envelope cipher). */
  cipher: EnvelopeCipher;
  /** Bearer token of its API, and the sign-in token of its page. */
  token: string;
  /** The service's `POST /api/mash/events` and `MASH_WEBHOOK_SECRET`. */
  webhook: WebhookTarget;
  logger: Logger;
  now?: () => Date;
}

export interface ReferenceMash {
  /** Mount at `/mash`: the API is then `/mash/v1`, the page `/mash`. */
  router: Router;
  /** Aborts event deliveries still in flight; the data is already on disk. */
  close(): Promise<void>;
}

/**
 * A reference MASH intake for when MASH_INTAKE_URL is unset, so `npm start` files real referrals
 * over HTTP against the same contract as the partnership's MASH (docs/mash-intake.openapi.yaml), and
 * a person can see what arrived and send the MASH's answers back through the signed webhook.
 */
export async function createReferenceMash(options: ReferenceMashOptions): Promise<ReferenceMash> {
  const now = options.now ?? (() => new Date());
  const store = await createReferenceMashStore(options.dataDir, options.cipher);
  const purged = await store.purgeExpired();
  if (purged > 0) options.logger.info({ purged }, 'reference MASH: records past retention deleted');
  const sender = createEventSender({ webhook: options.webhook, now });
  const session = createPageSession(options.token, now);

  const router = express.Router();
  router.use('/v1', referenceMashApi({ store, token: options.token, now }));
  router.use(referenceMashPage({ store, session, sender, logger: options.logger, now }));
  return {
    router,
    close: async () => sender.close(),
  };
}

export type { WebhookTarget } from './mashEventSender';
