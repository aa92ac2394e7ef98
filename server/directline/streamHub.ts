import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ChannelAccount } from '@microsoft/agents-activity';
import { WebSocket, WebSocketServer } from 'ws';
import { storageKeyOf, type TranscriptActivity, type TranscriptEntry, type TranscriptStore, type TranscriptWakeups } from '../../integrations';
import type { Logger } from '../logger';
import { streamCloses, streamEndedActivity, type StreamEndReason } from './streamEnded';

export interface StreamHubOptions {
  transcripts: TranscriptStore;
  logger: Logger;
  /** Where the router is mounted, e.g. `/v3/directline`; streams live at `<basePath>/conversations/:id/stream`. */
  basePath: string;
  /**
   * Checks the `t` ticket of a stream URL: an admission to accept (whose `stillValid`, when given, is asked
   * again on every catch-up tick), else the HTTP status to refuse the upgrade with.
   */
  authorise(conversationId: string, ticket: string | null): Promise<StreamAdmission | 401 | 403>;
  /** Empty frames keep proxies and load balancers from closing an idle socket (Direct Line sends them too). */
  keepAliveMs: number;
  /**
   * How often open sockets re-read the store, so activities appended by another instance (a turn that
   * ran there) still arrive; 0 turns it off. Local appends are delivered at once regardless.
   */
  catchUpMs: number;
  /**
   * Other instances' appends (Redis pub/sub): each open socket watches its conversation; and streams
   * opened on other instances, which take over the conversation from a socket here.
   */
  wakeups?: Pick<TranscriptWakeups, 'watch' | 'publishTaken'>;
  /** Who the "stream ended" event is from (the bot, as its replies are). */
  bot: ChannelAccount;
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
}

/** An accepted stream: 200, or 200 with a check that its sign-in is still current. */
export type StreamAdmission = 200 | { status: 200; stillValid: () => Promise<boolean> };

interface LiveSocket {
  ws: WebSocket;
  conversationId: string;
  /** Epoch milliseconds: of two sockets for one conversation, the later one holds it. */
  openedAt: number;
  /** The watermark this socket has delivered up to. */
  sent: number;
  /** False once the sign-in behind this socket has ended (another instance may have signed it out). */
  stillValid?: () => Promise<boolean>;
  pumping: boolean;
  again: boolean;
}

/**
 * The Direct Line WebSocket streams: one socket per conversation, fed from the transcript store. Every
 * delivery (a local append, the catch-up timer, the socket opening) is the same "send what is after my
 * watermark" read, so a replay and live activities can never be delivered twice or out of order.
 */
export function createStreamHub(options: StreamHubOptions) {
  const { transcripts, logger } = options;
  const now = options.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 }); // clients send only empty pings
  const sockets = new Map<string, LiveSocket>();
  const servers = new Set<Server>();
  const streamPath = new RegExp(`^${options.basePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/conversations/([^/]+)/stream$`);

  const keepAlive = setInterval(() => {
    for (const live of sockets.values()) if (live.ws.readyState === WebSocket.OPEN) live.ws.send('');
  }, options.keepAliveMs).unref();
  const catchUp = options.catchUpMs > 0 ? setInterval(() => sockets.forEach((live) => void tick(live)), options.catchUpMs).unref() : undefined;

  /**
   * A catch-up tick: a socket whose sign-in has ended is closed, saying why (sign-out on any instance
   * reaches an open stream within one tick), and the others are sent what they have not had.
   */
  async function tick(live: LiveSocket): Promise<void> {
    const valid = live.stillValid ? await live.stillValid().catch(() => true) : true;
    if (!valid) return end(live, 'signed-out');
    await pump(live);
  }

  /**
   * Ends a stream saying why: an event the page reads (it shows "open in another window", "signed out" or
   * "ended" and stops the client from reconnecting by itself), then the close frame with its code.
   */
  function end(live: LiveSocket, reason: StreamEndReason): void {
    if (live.ws.readyState !== WebSocket.OPEN) return;
    live.ws.send(JSON.stringify({ activities: [streamEndedActivity(live.conversationId, reason, options.bot, new Date(now()))] }));
    live.ws.close(streamCloses[reason].code, streamCloses[reason].reason);
  }

  /** Sends entries that follow on from the socket's watermark, and moves the watermark to the last. */
  function deliver(live: LiveSocket, entries: TranscriptEntry[]): void {
    live.sent = entries[entries.length - 1].seq;
    live.ws.send(JSON.stringify({ activities: entries.map((e) => e.activity), watermark: String(live.sent) }));
  }

  async function pump(live: LiveSocket): Promise<void> {
    if (live.pumping) {
      live.again = true;
      return;
    }
    live.pumping = true;
    try {
      do {
        live.again = false;
        const entries = await transcripts.read(live.conversationId, live.sent);
        if (live.ws.readyState !== WebSocket.OPEN) return;
        if (!entries) return end(live, 'conversation-ended');
        if (entries.length > 0) deliver(live, entries);
      } while (live.again);
    } catch (error) {
      // A transient store fault: the next append or catch-up tick tries again from the same watermark.
      logger.warn({ err: error, conversation: storageKeyOf(live.conversationId) }, 'stream delivery failed');
    } finally {
      live.pumping = false;
    }
  }

  function register(ws: WebSocket, conversationId: string, watermark: number, stillValid?: () => Promise<boolean>): void {
    const live: LiveSocket = { ws, conversationId, openedAt: now(), sent: watermark, pumping: false, again: false, ...(stillValid ? { stillValid } : {}) };
    const previous = sockets.get(conversationId);
    sockets.set(conversationId, live);
    // One stream per conversation, as Direct Line: the newer socket (whose ticket was spent just now, so
    // whoever opened it holds the conversation's bearer token) takes over, and the older is told why,
    // here or on another instance (whose socket opened before this one).
    if (previous) end(previous, 'replaced');
    void options.wakeups?.publishTaken(conversationId, live.openedAt);
    ws.on('message', () => undefined); // the official client's empty frames are keep-alives: nothing to answer
    ws.on('error', (error) => logger.debug({ err: error, conversation: storageKeyOf(conversationId) }, 'stream socket error'));
    const takenElsewhere = (openedAt: number) => {
      if (sockets.get(conversationId) === live && live.openedAt < openedAt) end(live, 'replaced');
    };
    const unwatch = options.wakeups?.watch(conversationId, () => void pump(live), takenElsewhere);
    ws.on('close', () => {
      unwatch?.();
      if (sockets.get(conversationId) === live) sockets.delete(conversationId);
    });
    logger.debug({ conversation: storageKeyOf(conversationId), replaced: Boolean(previous) }, 'stream opened');
    void pump(live);
  }

  function refuse(socket: Duplex, status: number): void {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /** The conversation id and the URL when the request is for one of our streams, else undefined. */
  function streamOf(req: IncomingMessage): { conversationId: string; url: URL } | 'malformed' | undefined {
    try {
      const url = new URL(req.url ?? '/', 'http://stream.invalid');
      const match = streamPath.exec(url.pathname);
      return match ? { conversationId: decodeURIComponent(match[1]), url } : undefined;
    } catch {
      return 'malformed'; // a throw in an 'upgrade' listener would take the whole process down
    }
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const stream = streamOf(req);
    if (stream === 'malformed') return refuse(socket, 400);
    if (!stream) return; // another upgrade listener's path
    const { conversationId, url } = stream;
    socket.on('error', () => undefined); // a client gone while the ticket is checked must not crash the process
    void options.authorise(conversationId, url.searchParams.get('t')).then(
      (admission) => {
        if (admission === 401 || admission === 403) return refuse(socket, admission);
        if (socket.destroyed) return;
        const watermark = Number.parseInt(url.searchParams.get('watermark') ?? '', 10);
        const stillValid = typeof admission === 'object' ? admission.stillValid : undefined;
        wss.handleUpgrade(req, socket, head, (ws) => register(ws, conversationId, Number.isSafeInteger(watermark) && watermark > 0 ? watermark : 0, stillValid));
      },
      () => refuse(socket, 503),
    );
  }

  return {
    attach(server: Server): void {
      servers.add(server);
      server.on('upgrade', onUpgrade);
    },
    /**
     * New activities are in the store for this conversation. When they follow straight on from what the
     * socket has (the usual case: this instance's own appends, in order), they are sent as they are,
     * without reading and decrypting the transcript again; anything else (a gap, a read in progress, an
     * out-of-order finish) takes the ordinary read from the watermark, so nothing is sent twice or skipped.
     */
    appended(conversationId: string, entries?: TranscriptEntry[]): void {
      const live = sockets.get(conversationId);
      if (!live) return;
      if (entries?.length && !live.pumping && entries[0].seq === live.sent + 1 && live.ws.readyState === WebSocket.OPEN) deliver(live, entries);
      else void pump(live);
    },
    /** Delivered now if a socket is open, never stored (typing indicators). */
    ephemeral(conversationId: string, activity: TranscriptActivity): void {
      const live = sockets.get(conversationId);
      if (live?.ws.readyState === WebSocket.OPEN) live.ws.send(JSON.stringify({ activities: [activity] }));
    },
    get openSockets(): number {
      return sockets.size;
    },
    close(): void {
      clearInterval(keepAlive);
      if (catchUp) clearInterval(catchUp);
      for (const server of servers) server.off('upgrade', onUpgrade);
      servers.clear();
      for (const live of sockets.values()) live.ws.close(1001, 'going away');
      sockets.clear();
      wss.close();
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
