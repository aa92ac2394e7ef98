import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { storageKeyOf } from '../store/recordCodec';

/**
 * "A conversation's transcript grew" across instances. Only a wake-up: the listener re-reads the
 * transcript after its watermark, which stays the source of truth, so a lost or doubled message here
 * can delay an activity (until the catch-up read) but never lose or repeat one. Also "a stream for this
 * conversation opened on another instance", so the older page is told it was replaced wherever it is.
 */
export interface TranscriptWakeups {
  publish(conversationId: string): Promise<void>;
  /**
   * A stream for the conversation opened here at `openedAt` (epoch ms): another instance's socket for it,
   * opened before, is closed as replaced (one stream per conversation across instances, issue 20 item 1).
   */
  publishTaken(conversationId: string, openedAt: number): Promise<void>;
  /**
   * Calls `onWake` on every publish for the conversation by another instance, and `onTaken` with the time
   * another instance's stream for it opened; returns the unsubscribe.
   */
  watch(conversationId: string, onWake: () => void, onTaken?: (openedAt: number) => void): () => void;
  close(): Promise<void>;
}

interface Watcher {
  wake(): void;
  taken?(openedAt: number): void;
}

export interface RedisTranscriptWakeupsOptions {
  /** The instance's command connection; a duplicate of it becomes the one subscriber connection. */
  redis: Redis;
  keyPrefix?: string;
  onError?: (error: Error) => void;
}

/** Redis pub/sub, one channel per conversation (named by its hashed storage key, never the id). */
export function createRedisTranscriptWakeups({ redis, keyPrefix = 'sg:', onError }: RedisTranscriptWakeupsOptions): TranscriptWakeups {
  const subscriber = redis.duplicate();
  const watchers = new Map<string, Set<Watcher>>();
  const channelOf = (conversationId: string) => `${keyPrefix}dl-wake:{${storageKeyOf(conversationId)}}`;
  const report = (error: Error) => onError?.(error);
  // Each publish names this instance: its own sockets were already fed when it appended, so hearing its
  // own wake-up back would only make them read the transcript again for nothing.
  const origin = randomBytes(8).toString('hex');
  subscriber.on('error', report);
  // A message is `<origin>` (a wake-up) or `<origin> taken <openedAt>` (a stream opened there).
  subscriber.on('message', (channel: string, message: string) => {
    const [from, what, at] = message.split(' ');
    if (from === origin) return;
    const openedAt = Number(at);
    const taken = what === 'taken' && Number.isSafeInteger(openedAt);
    watchers.get(channel)?.forEach((watcher) => (taken ? watcher.taken?.(openedAt) : watcher.wake()));
  });

  return {
    async publish(conversationId) {
      await redis.publish(channelOf(conversationId), origin).catch(report);
    },
    async publishTaken(conversationId, openedAt) {
      await redis.publish(channelOf(conversationId), `${origin} taken ${openedAt}`).catch(report);
    },
    watch(conversationId, onWake, onTaken) {
      const channel = channelOf(conversationId);
      let set = watchers.get(channel);
      if (!set) {
        set = new Set();
        watchers.set(channel, set);
        subscriber.subscribe(channel).catch(report);
      }
      const watcher: Watcher = { wake: onWake, ...(onTaken ? { taken: onTaken } : {}) };
      set.add(watcher);
      return () => {
        const current = watchers.get(channel);
        if (!current?.delete(watcher) || current.size > 0) return;
        watchers.delete(channel);
        subscriber.unsubscribe(channel).catch(report);
      };
    },
    async close() {
      watchers.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
