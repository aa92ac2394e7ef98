import type { Server } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import type { ChannelAccount } from '@microsoft/agents-activity';
import { DirectLineAdapter, type WebChatBot } from '../../bot';
import type { ServiceWords } from '../../flows';
import { storageKeyOf, type ProfessionalIdentity, type TranscriptActivity, type TranscriptEntry, type TranscriptStore, type TranscriptWakeups } from '../../integrations';
import type { Logger } from '../logger';
import { conversationRoutes } from './conversationRoutes';
import type { DirectLineContext } from './directLineContext';
import { sendDirectLineProblem } from './directLineProblems';
import { createGate, type Caller } from './gate';
import { memoryRateCounter, retryAfterSeconds, type RateCounter } from '../limits';
import { createStreamHub } from './streamHub';
import { tokenRoutes } from './tokenRoutes';
import { createTokenSigner, type TokenClaims, type TokenSession } from './tokens';
import { memorySessionRevocations, revocationCheck, type SessionRevocations } from '../auth/sessionRevocations';
import { defaultSessionMaxHours, newSessionId } from '../auth/session';
import { joinActivity, newConversationId, toIncoming, anonymousUser } from './webChatActivities';

export interface DirectLineOptions {
  /** The bot Teams talks to (SafeguardingBot), run here for the web chat. */
  bot: WebChatBot;
  transcripts: TranscriptStore;
  logger: Logger;
  /** The pack's words: the apology for a failed turn and the refusal of files. */
  words: ServiceWords;
  /** DIRECTLINE_SECRET: lets the server generate tokens. Unset: no secret is accepted anywhere. */
  secret?: string;
  /** At least 32 bytes; every instance serving the same clients needs the same key. */
  tokenKey: Buffer;
  /** Lifetime of a bearer token; 30 minutes by default, like Azure Direct Line's. */
  ttlMs?: number;
  /** e.g. `https://chat.example.org`: stream URLs use it; unset, they follow the request's host. */
  publicUrl?: string;
  /** Epoch milliseconds; tests move it to expire tokens. */
  now?: () => number;
  basePath?: string;
  keepAliveMs?: number;
  catchUpMs?: number;
  /** Shared wake-ups (Redis): a turn run here wakes the socket on another instance, and back. */
  wakeups?: TranscriptWakeups;
  /** Lifetime of the ticket inside a stream URL (a URL ends up in logs, so it is short, single-use and carries no identity). */
  streamTicketMs?: number;
  /** SESSION_MAX_HOURS in ms: no token outlives the sign-in it came from by more (default 12 h). */
  sessionMaxMs?: number;
  /** Signed-out sessions and spent stream tickets, shared by every instance; default: in this process. */
  revocations?: SessionRevocations;
  /** Posts (and token refreshes, starts) per token: one conversation of one professional. */
  rateLimit?: { limit: number; windowMs: number };
  /** Posts per professional across all their conversations (a new conversation is one sign-in away). */
  userRateLimit?: { limit: number; windowMs: number };
  /** Polls (`GET …/activities`, reconnects) per token; Web Chat polls once a second when it cannot stream. */
  pollRateLimit?: { limit: number; windowMs: number };
  /** Polls per professional across all their conversations. */
  userPollRateLimit?: { limit: number; windowMs: number };
  /** Where the limit counts: shared through Redis when the service runs on it; default per instance. */
  rateCounter?: RateCounter;
  typing?: { delayMs: number; periodMs: number };
  botAccount?: ChannelAccount;
  /**
   * Told after every append to a conversation's transcript, here (a post, the bot's replies, a proactive
   * message): web chat continuity keeps the professional's binding to it alive as long as it lives.
   */
  onAppended?: (conversationId: string) => void;
}

const minutes = 60_000;

/**
 * A Direct Line 3.0 endpoint in this process: the express router for `/v3/directline`, the WebSocket
 * streams (`attach` them to the HTTP server), and an adapter that runs the same bot as Teams.
 */
export function createDirectLine(options: DirectLineOptions) {
  const { transcripts, logger } = options;
  const nowMs = options.now ?? Date.now;
  const basePath = options.basePath ?? '/v3/directline';
  const tokenLifetimeMs = options.ttlMs ?? 30 * minutes;
  const streamTicketMs = options.streamTicketMs ?? 30_000;
  const sessionMaxMs = options.sessionMaxMs ?? defaultSessionMaxHours * 60 * minutes;
  const revocations = options.revocations ?? memorySessionRevocations(nowMs);
  const isRevoked = revocationCheck(revocations, logger);
  const bot = options.botAccount ?? { id: 'safeguarding-bot', name: 'Safeguarding bot', role: 'bot' };
  const signer = createTokenSigner({ key: options.tokenKey, now: nowMs });
  const admit = createGate({ signer, secret: options.secret, logger, isRevoked, maxAgeMs: sessionMaxMs, now: nowMs });
  // Per token and per professional (pen test M1: one user opened conversations and polled without bound).
  const rules = {
    post: [
      { name: 'directline', ...(options.rateLimit ?? { limit: 20, windowMs: 10_000 }), keyOf: (c: TokenClaims) => `${c.conversationId}\n${c.user.id}` },
      { name: 'directline-user', ...(options.userRateLimit ?? { limit: 60, windowMs: minutes }), keyOf: (c: TokenClaims) => c.user.id },
    ],
    poll: [
      { name: 'directline-poll', ...(options.pollRateLimit ?? { limit: 30, windowMs: 10_000 }), keyOf: (c: TokenClaims) => `${c.conversationId}\n${c.user.id}` },
      { name: 'directline-poll-user', ...(options.userPollRateLimit ?? { limit: 300, windowMs: minutes }), keyOf: (c: TokenClaims) => c.user.id },
    ],
  };
  const counter = options.rateCounter ?? memoryRateCounter(nowMs);
  const running = new Set<Promise<void>>();
  let closing = false;

  const hub = createStreamHub({
    transcripts,
    logger,
    bot,
    now: nowMs,
    basePath,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    catchUpMs: options.catchUpMs ?? 1500,
    wakeups: options.wakeups,
    /**
     * A ticket opens one socket, once (pen test L2: it sits in a URL, so in proxy logs), for a session
     * that is neither signed out nor past its maximum age.
     */
    async authorise(conversationId, ticket) {
      if (!ticket) return 401;
      const verified = signer.verify(ticket, 'stream');
      if (!verified.ok || verified.claims.conversationId !== conversationId) return 403;
      const { session, jti, expiresAt } = verified.claims;
      const current = async () => session.authTime + sessionMaxMs > nowMs() && !(await isRevoked(session.sid));
      if (!(await current())) return 403;
      return (await revocations.spend(jti, expiresAt).catch(() => false)) ? { status: 200, stillValid: current } : 403;
    },
  });
  /** Local sockets at once; sockets on other instances through the wake-up channel. */
  const appended = (conversationId: string, entries?: TranscriptEntry[]) => {
    hub.appended(conversationId, entries);
    void options.wakeups?.publish(conversationId);
    options.onAppended?.(conversationId);
  };
  const listener = { appended, ephemeral: (conversationId: string, activity: TranscriptActivity) => hub.ephemeral(conversationId, activity) };
  const adapter = new DirectLineAdapter({ transcripts, listener, logger, words: options.words, now: () => new Date(nowMs()), typing: options.typing });

  async function withinLimit(res: Response, caller: Caller, what: 'post' | 'poll' = 'post', refuse = true): Promise<boolean> {
    if (caller.kind !== 'token') return true;
    for (const rule of rules[what]) {
      const taken = await counter.take(rule, rule.keyOf(caller.claims));
      if (taken.ok) continue;
      res.set('Retry-After', retryAfterSeconds(taken.retryAfterMs));
      if (refuse) sendDirectLineProblem(res, 'SG-DL-RATE-LIMITED', 'Please wait a few seconds before sending more.');
      return false;
    }
    return true;
  }

  const sessionEnds = (session: TokenSession) => session.authTime + sessionMaxMs;

  function issue(conversationId: string, user: ProfessionalIdentity, session: TokenSession) {
    const lifetimeMs = Math.max(0, Math.min(tokenLifetimeMs, sessionEnds(session) - nowMs()));
    return { token: signer.sign(conversationId, user, 'bearer', tokenLifetimeMs, session, sessionEnds(session)), expires_in: Math.floor(lifetimeMs / 1000) };
  }

  function streamUrl(req: Request, conversationId: string, user: ProfessionalIdentity, session: TokenSession, watermark?: number): string {
    const origin = (options.publicUrl ?? `${req.protocol}://${req.get('host')}`).replace(/^http/, 'ws').replace(/\/$/, '');
    const ticket = signer.sign(conversationId, user, 'stream', streamTicketMs, session, sessionEnds(session));
    return `${origin}${basePath}/conversations/${encodeURIComponent(conversationId)}/stream?t=${ticket}${watermark ? `&watermark=${watermark}` : ''}`;
  }

  function runTurn(incoming: TranscriptActivity | 'join', conversationId: string, user: ProfessionalIdentity): Promise<void> {
    const at = { conversationId, user, bot, now: new Date(nowMs()) };
    const activity = incoming === 'join' ? joinActivity(at) : toIncoming(incoming);
    const turn = adapter
      .runTurn(activity, options.bot, user)
      .catch((error: unknown) => logger.error({ err: error, conversation: storageKeyOf(conversationId) }, 'web chat turn failed'));
    running.add(turn);
    return turn.finally(() => running.delete(turn));
  }

  /** The server itself (the Direct Line secret) vouches for the professional: their session starts now. */
  const newSession = (): TokenSession => ({ sid: newSessionId(), authTime: nowMs() });

  const ctx: DirectLineContext = {
    transcripts,
    logger,
    words: options.words,
    admit,
    withinLimit,
    issue,
    streamUrl,
    newSession,
    appended,
    runTurn,
    closing: () => closing,
    bot,
    now: () => new Date(nowMs()),
  };

  const router: Router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  conversationRoutes(router, ctx);
  tokenRoutes(router, ctx);

  return {
    router,
    adapter,
    /** Serves the WebSocket streams on this HTTP server (only upgrades on the stream path are taken). */
    attach: (server: Server) => hub.attach(server),
    /**
     * A token for `conversationId` (default: a new conversation) bound to `user` and their web session,
     * without an HTTP round trip: what the chat page asks for once the professional is signed in, with
     * the conversation web chat continuity chose for them.
     */
    issueToken(user: ProfessionalIdentity = anonymousUser(), session: TokenSession = newSession(), conversationId: string = newConversationId()) {
      return { conversationId, ...issue(conversationId, user, session) };
    },
    get openSockets() {
      return hub.openSockets;
    },
    /** Refuses new messages, closes the streams (clients reconnect elsewhere) and waits for running turns. */
    async close(): Promise<void> {
      closing = true;
      hub.close();
      await Promise.allSettled([...running]);
    },
  };
}

export type DirectLine = ReturnType<typeof createDirectLine>;
