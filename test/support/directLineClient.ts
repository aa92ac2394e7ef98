import { WebSocket } from 'ws';
import { DirectLine, type Activity, type DirectLineOptions } from 'botframework-directlinejs';
import type { SentActivity } from './activities';

// The official client expects a browser: it finds XMLHttpRequest (RxJS ajax) and WebSocket on the global.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- xhr2 ships no types: required as an untyped value, never called by us
const XMLHttpRequestPolyfill: unknown = require('xhr2');
Object.assign(globalThis, { XMLHttpRequest: XMLHttpRequestPolyfill, WebSocket });

/** An activity as a test reads it (the client's own types are a union that hides `value`). */
export type ReceivedActivity = SentActivity & { type: string; from: { id: string; name?: string } };

/**
 * `botframework-directlinejs`, the client Web Chat uses, running in Node against our endpoint; records
 * everything it receives so a test can wait for what it expects.
 */
export function officialClient(options: DirectLineOptions) {
  const dl = new DirectLine({ pollingInterval: 200, timeout: 5000, ...options });
  const received: ReceivedActivity[] = [];
  const errors: unknown[] = [];
  const subscription = dl.activity$.subscribe({ next: (a) => received.push(a as ReceivedActivity), error: (e: unknown) => errors.push(e) });

  async function waitFor(predicate: (a: ReceivedActivity) => boolean, what: string, timeoutMs = 10_000): Promise<ReceivedActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no ${what} within ${timeoutMs} ms; got ${JSON.stringify(received.map((a) => [a.type, (a as { text?: string }).text?.slice(0, 40)]))} errors ${errors.length}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  function post(activity: Record<string, unknown>): Promise<string> {
    return new Promise((resolve, reject) => {
      dl.postActivity({ from: { id: 'client-chosen-id', name: 'Test Professional' }, ...activity } as Activity).subscribe({ next: resolve, error: reject });
    });
  }

  return {
    dl,
    received,
    errors,
    waitFor,
    post,
    /** The watermark the client has reached (private in its types, public in Direct Line's protocol). */
    get watermark(): string {
      return (dl as unknown as { watermark: string }).watermark;
    },
    end(): void {
      subscription.unsubscribe();
      dl.end();
    },
  };
}

export const isQuestion = (id: string) => (a: ReceivedActivity) => a.value?.type === 'safeguarding.question' && a.value?.id === id;
export const textMatches = (pattern: RegExp) => (a: ReceivedActivity) => a.type === 'message' && pattern.test((a as { text?: string }).text ?? '');
