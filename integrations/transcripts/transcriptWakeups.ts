import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { storageKeyOf } from '../store/recordCodec';

/**
 * "A conversation's transcript grew" across instances. Only a wake-up: the listener re-reads the
 * transcript after its watermark, which stays the source of truth, so a lost or doubled message here
 * can delay an activity (until the catch-up read) but never lose or repeat one.
 */
export interface TranscriptWakeups {
  publish(conversationId: string): Promise<void>;
  /** Calls `onWake` on every publish for the conversation by another instance; returns the unsubscribe. */
  watch(conversationId: string, onWake: () => void): () => void;
  close(): Promise<void>;
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
  const watchers = new Map<string, Set<() => void>>();
  const channelOf = (conversationId: string) => `${keyPrefix}dl-wake:{${storageKeyOf(conversationId)}}`;
  const report = (error: Error) => onError?.(error);
  // Each publish names this instance: its own sockets were already fed when it appended, so hearing its
  // own wake-up back would only make them read the transcript again for nothing.
  const origin = randomBytes(8).toString('hex');
  subscriber.on('error', report);
  subscriber.on('message', (channel: string, from: string) => {
    if (from !== origin) watchers.get(channel)?.forEach((wake) => wake());
  });

  return {
    async publish(conversationId) {
      await redis.publish(channelOf(conversationId), origin).catch(report);
    },
    watch(conversationId, onWake) {
      const channel = channelOf(conversationId);
      let set = watchers.get(channel);
      if (!set) {
        set = new Set();
        watchers.set(channel, set);
        subscriber.subscribe(channel).catch(report);
      }
      set.add(onWake);
      return () => {
        const current = watchers.get(channel);
        if (!current?.delete(onWake) || current.size > 0) return;
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
