import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { EnvelopeCipher } from '../../integrations';
import { referenceMashApi } from './referenceMashApi';
import { referenceMashPage } from './referenceMashPage';
import { createReferenceMashStore } from './referenceMashStore';

export interface ReferenceMashOptions {
  dataDir: string;
  cipher: EnvelopeCipher;
  token: string;
  webhook: { url: string; secret: string };
  logger: Logger;
  now?: () => Date;
}

/**
 * A reference MASH intake, mounted at `/mash` when MASH_INTAKE_URL is unset: the API at `/mash/v1`
 * (the same contract as the real one) and a page at `/mash`, so `npm start` files real referrals over
 * HTTP and a person can send the MASH's answers back.
 */
export async function createReferenceMash(options: ReferenceMashOptions): Promise<{ router: Router; close(): void }> {
  const store = await createReferenceMashStore(options.dataDir, options.cipher);
  const now = options.now ?? (() => new Date());
  const router = express.Router();
  router.use('/v1', referenceMashApi({ store, token: options.token, now }));
  router.use('/', referenceMashPage({ store, token: options.token, webhook: options.webhook, logger: options.logger, now }));
  return { router, close: () => undefined };
}
