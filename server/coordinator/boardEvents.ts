import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from '../logger';

/** How often the queue is read while a board is open; one read per instance, whatever the number of boards. */
export const boardWatchMs = 2000;
const keepAliveMs = 25_000;

/** A fingerprint of what the board shows: it changes when a handoff is opened, claimed, asked, answered or closed. */
export function boardDigest(items: unknown): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 16);
}

/**
 * Server-sent events for open boards (issue 20 item 8). The handoff queue lives in the store that every
 * instance shares, and a change can come from any of them (a Teams card, another coordinator, a flow), so
 * while at least one board is open here this instance reads the queue every `boardWatchMs` and tells its
 * boards when the fingerprint changed. Nothing is read when no board is open.
 */
export function createBoardEvents({ read, logger, intervalMs = boardWatchMs }: { read: () => Promise<unknown>; logger: Logger; intervalMs?: number }) {
  const boards = new Set<Response>();
  let timer: NodeJS.Timeout | undefined;
  let last: { digest: string; count: number } | undefined;

  const send = (res: Response, data: { digest: string; count: number }) => res.write(`event: board\ndata: ${JSON.stringify(data)}\n\n`);

  async function check(): Promise<void> {
    try {
      const items = await read();
      const next = { digest: boardDigest(items), count: Array.isArray(items) ? items.length : 0 };
      if (next.digest === last?.digest) return;
      last = next;
      for (const res of boards) send(res, next);
    } catch (err) {
      logger.warn({ err }, 'coordinator board: the queue could not be read for the live update');
    }
  }

  function stopWatching(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    last = undefined;
  }

  return {
    /** Holds `res` open as an event stream until the browser goes; sends the current fingerprint first. */
    async attach(res: Response): Promise<void> {
      res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      res.write('retry: 5000\n\n');
      boards.add(res);
      const alive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs).unref();
      res.on('close', () => {
        clearInterval(alive);
        boards.delete(res);
        if (boards.size === 0) stopWatching();
      });
      if (!timer) {
        timer = setInterval(() => void check(), intervalMs).unref();
        await check();
      } else if (last) send(res, last);
    },
    get open(): number {
      return boards.size;
    },
  };
}
