import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WebSocket } from 'ws';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { SafeguardingBot } from '../../bot';
import { createConversationTurns } from '../../server/services/takeTurn';
import { createRuntime, loadDefaultPack, serviceWordsOf } from '../../flows';
import {
  createEmbeddedConversationStore,
  createEmbeddedTranscriptStore,
  createEnvelopeCipher,
  createRecordCodec,
  createTranscriptCodec,
  encryptionKey,
  type ConversationStore,
  type EnvelopeCipher,
  type TranscriptStore,
} from '../../integrations';
import { createDirectLine, type DirectLine, type DirectLineOptions } from '../../server/directline';
import { notFound, problemHandler } from '../../server/http';
import { bodyAs } from './json';
import { tempDataDir } from './serviceProcess';

const hour = 3600_000;
const pack = loadDefaultPack();

/** What two "instances" (or an instance and its restart) share: the data folder and the keys. */
export interface SharedSetup {
  dataDir: string;
  cipher: EnvelopeCipher;
  tokenKey: Buffer;
  secret: string;
}

export function sharedSetup(): SharedSetup {
  return {
    dataDir: tempDataDir(),
    cipher: createEnvelopeCipher([encryptionKey(randomBytes(32))]),
    tokenKey: randomBytes(32),
    secret: randomBytes(24).toString('base64url'),
  };
}

export interface DirectLineServerOptions extends Partial<Omit<DirectLineOptions, 'bot' | 'transcripts'>> {
  shared?: SharedSetup;
  /** Wraps or replaces the embedded transcript store (a Redis one, a faulty one). */
  transcripts?: (embedded: TranscriptStore) => TranscriptStore;
  store?: ConversationStore;
}

/**
 * The real bot (runtime, durable turns, SafeguardingBot) behind the Direct Line factory, on an express
 * server listening on a loopback port: what server/createApp.ts builds, minus the Bot Framework endpoint.
 */
export async function startDirectLineServer(options: DirectLineServerOptions = {}) {
  const shared = options.shared ?? sharedSetup();
  const { dataDir, cipher, tokenKey, secret } = shared;
  const { shared: _s, transcripts: wrap, store: givenStore, ...overrides } = options;
  const logger: Logger = overrides.logger ?? pino({ level: 'silent' });
  const store = givenStore ?? (await createEmbeddedConversationStore({ dataDir, codec: createRecordCodec(cipher), ttlMs: hour }));
  const embedded = await createEmbeddedTranscriptStore({ dataDir, codec: createTranscriptCodec(cipher), ttlMs: hour });
  const transcripts = wrap ? wrap(embedded) : embedded;
  const turns = createConversationTurns({ store, runtime: createRuntime({ pack }), logger });
  const bot = new SafeguardingBot({ turns, logger });
  const directLine: DirectLine = createDirectLine({ bot, transcripts, logger, words: serviceWordsOf(pack), secret, tokenKey, ...overrides });

  const app = express();
  // The Direct Line router parses its own bodies (64 kB), as in server/httpApp.ts.
  app.use('/v3/directline', directLine.router);
  app.use(notFound);
  app.use(problemHandler(logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  directLine.attach(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const domain = `${url}/v3/directline`;

  /** `POST /tokens/generate` with the secret, as the sign-in page's server side will. */
  async function generateToken(user?: Record<string, unknown>): Promise<{ conversationId: string; token: string; expires_in: number }> {
    const res = await fetch(`${domain}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(user ? { user } : {}),
    });
    if (res.status !== 200) throw new Error(`tokens/generate answered ${res.status}`);
    return bodyAs(res, tokenAnswer);
  }

  /** Generates a token and starts its conversation over plain HTTP (the welcome turn runs). */
  async function startConversation(user?: Record<string, unknown>) {
    const { token } = await generateToken(user);
    const res = await fetch(`${domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 201) throw new Error(`POST /conversations answered ${res.status}`);
    return bodyAs(res, startedAnswer);
  }

  async function close(): Promise<void> {
    await directLine.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return { url, domain, directLine, transcripts, shared, generateToken, startConversation, close };
}

export type DirectLineServer = Awaited<ReturnType<typeof startDirectLineServer>>;

export { bodyOf } from './json';

/** A token Direct Line issued (`/tokens/generate`, `/tokens/refresh`, a started conversation). */
export const tokenAnswer = z.looseObject({ conversationId: z.string(), token: z.string(), expires_in: z.number() });
/** A conversation started over HTTP: its token and the stream to read it on. */
export const startedAnswer = tokenAnswer.extend({ streamUrl: z.string() });
/** A posted activity: its id. */
export const postedAnswer = z.looseObject({ id: z.string() });

/** Resolves with the HTTP status the upgrade was refused with, or 101 when the socket opened. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}
