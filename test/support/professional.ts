import type { SentActivity } from './activities';
import type { FakeConnector } from './fakeConnector';

const apology = /Sorry, something went wrong/;
let sequence = 0;

/**
 * A professional on a channel, as the chaos review drove the service (reliability review, "Method"): an
 * activity the bot does not answer (connection refused or reset, 5xx) is delivered again with the same
 * id until it is answered, as a channel does; when the bot answers "sorry, something went wrong", the
 * person types the answer again (a new activity). Counts both, so a test can say the fault was met.
 */
/** One request to the bot as the channel saw it: when it was sent, when it came back, and its status (0: no answer). */
export interface Attempt {
  startedAt: number;
  endedAt: number;
  status: number;
}

export function professional(
  serviceUrl: () => string,
  connector: FakeConnector,
  conversationId: string,
  options: { deadlineMs?: number; onAttempt?: (attempt: Attempt) => void } = {},
) {
  const user = { id: `user-${conversationId}`, name: 'Test Teacher' };
  const stats = { redelivered: 0, apologies: 0 };
  const deadlineMs = options.deadlineMs ?? 60_000;
  let sentAt: number | undefined;

  async function deliver(activity: Record<string, unknown>): Promise<SentActivity[]> {
    const id = `act-${process.pid}-${++sequence}`;
    const started = Date.now();
    for (;;) {
      const before = connector.forConversation(conversationId).length;
      const startedAt = Date.now();
      sentAt = startedAt;
      const status = await fetch(`${serviceUrl()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          channelId: 'emulator',
          serviceUrl: connector.url,
          from: user,
          recipient: { id: 'bot', name: 'Safeguarding bot' },
          conversation: { id: conversationId },
          timestamp: new Date().toISOString(),
          ...activity,
        }),
        signal: AbortSignal.timeout(15_000),
      }).then(
        (res) => res.status,
        () => 0,
      );
      sentAt = undefined;
      options.onAttempt?.({ startedAt, endedAt: Date.now(), status });
      if (status === 200) return connector.forConversation(conversationId).slice(before);
      if (Date.now() - started > deadlineMs) throw new Error(`${conversationId}: no answer to ${id} within ${deadlineMs} ms (last status ${status})`);
      stats.redelivered++;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Types `text` until the bot takes it (no apology in the answer); returns the answer. */
  async function say(text: string): Promise<SentActivity[]> {
    const started = Date.now();
    for (;;) {
      const replies = await deliver({ type: 'message', text });
      if (!replies.some((r) => apology.test(r.text ?? ''))) return replies;
      stats.apologies++;
      if (Date.now() - started > deadlineMs) throw new Error(`${conversationId}: still apologising after ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    conversationId,
    stats,
    join: () => deliver({ type: 'conversationUpdate', membersAdded: [user, { id: 'bot' }] }),
    say,
    /** When the request waiting for an answer now was sent; undefined when none is. */
    pendingSince: () => sentAt,
    /** Every message the bot sent this conversation (replies and proactive notices). */
    received: () => connector.forConversation(conversationId),
  };
}
