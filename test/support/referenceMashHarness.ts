import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { createEnvelopeCipher, encryptionKey, type EnvelopeCipher } from '../../integrations';
import { createLogger } from '../../server/logger';
import { createReferenceMash, type ReferenceMash } from '../../server/referenceMash';

export const mashToken = 'reference-mash-test-token-0123456789';
export const webhookSecret = 'reference-mash-webhook-secret-0123456789';

async function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A stand-in for the service's `POST /api/mash/events`: keeps each raw body and its headers, answers `status`. */
export async function startWebhookReceiver() {
  const received: Array<{ raw: string; timestamp?: string; signature?: string }> = [];
  let status = 200;
  const app = express();
  app.post('/api/mash/events', express.raw({ type: () => true }), (req, res) => {
    received.push({ raw: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '', timestamp: req.get('x-mash-timestamp'), signature: req.get('x-mash-signature') });
    res.status(status).json({ status: 'seen' });
  });
  const { server, origin } = await listen(app);
  return {
    url: `${origin}/api/mash/events`,
    received,
    answerWith: (next: number) => (status = next),
    close: () => closeServer(server),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

export interface ReferenceMashHarnessOptions {
  dataDir?: string;
  cipher?: EnvelopeCipher;
  webhookUrl: string;
  now?: () => Date;
}

/**
 * The reference MASH mounted at `/mash` of a bare express app on 127.0.0.1 (the app's own JSON parser
 * first, as in the service), with a logger whose output the test can read.
 */
export async function startReferenceMash(options: ReferenceMashHarnessOptions) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sg-refmash-'));
  const cipher = options.cipher ?? createEnvelopeCipher([encryptionKey(randomBytes(32))]);
  const logLines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString('utf8')), done()) });
  const mash: ReferenceMash = await createReferenceMash({
    dataDir,
    cipher,
    token: mashToken,
    webhook: { url: options.webhookUrl, secret: webhookSecret },
    logger: createLogger('trace', sink),
    ...(options.now ? { now: options.now } : {}),
  });
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.use('/mash', mash.router);
  const { server, origin } = await listen(app);
  return {
    origin,
    baseUrl: `${origin}/mash/v1`,
    pageUrl: `${origin}/mash`,
    dataDir,
    cipher,
    logs: () => logLines.join(''),
    close: async () => {
      await mash.close();
      await closeServer(server);
    },
  };
}

export type ReferenceMashHarness = Awaited<ReturnType<typeof startReferenceMash>>;

/** A browser, reduced to what the page needs: one session cookie, forms, no redirects followed. */
export function pageBrowser(harness: { pageUrl: string; origin: string }) {
  let cookie = '';
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${harness.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  return {
    async login(token: string): Promise<Response> {
      const response = await post('/mash/login', { token });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      return response;
    },
    setCookie: () => cookie,
    async page(query = ''): Promise<{ status: number; html: string; headers: Headers }> {
      const response = await fetch(`${harness.pageUrl}${query}`, { headers: cookie ? { cookie } : {} });
      return { status: response.status, html: await response.text(), headers: response.headers };
    },
    /** The CSRF token the page put in its forms. */
    async csrf(): Promise<string> {
      const { html } = await this.page();
      const found = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!found) throw new TypeError('no CSRF token on the page (not signed in?)');
      return found;
    },
    post,
  };
}
