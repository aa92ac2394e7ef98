import { Redis } from 'ioredis';
import { botFrameworkConversation, type BotFrameworkTarget } from './drivers';
import { rssOf } from './processes';

/** An idle conversation: joined, two answers given, then left (the state a professional walks away from). */
const idleAnswers = ['Is this exploitation?', 'A child (under 18)'];

async function createIdle(target: BotFrameworkTarget, tag: string, count: number, concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await botFrameworkConversation(target, `${tag}-${next++}`, () => undefined, idleAnswers);
  }));
}

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [nextCursor, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = nextCursor;
  } while (cursor !== '0');
  return keys;
}

/** Redis bytes per idle conversation: MEMORY USAGE of every key the service wrote, over the conversations. */
export async function redisBytesPerConversation(target: BotFrameworkTarget, redis: Redis, prefix: string, count: number): Promise<{ all: number; conversationKeys: number }> {
  await createIdle(target, `idle-redis-${prefix}`, count);
  const keys = await keysUnder(redis, prefix);
  let all = 0;
  let conversationKeys = 0;
  for (const key of keys) {
    const bytes = Number((await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
    all += bytes;
    if (key.includes(':conv:')) conversationKeys += bytes;
  }
  return { all: all / count, conversationKeys: conversationKeys / count };
}

/** RSS growth of the service process while `count` idle conversations pile up in the embedded store, per 10,000. */
export async function rssGrowthPer10k(target: BotFrameworkTarget, pid: number, count: number): Promise<number> {
  await createIdle(target, 'idle-warm', 200);
  await new Promise((r) => setTimeout(r, 1000));
  const before = rssOf(pid);
  await createIdle(target, 'idle-rss', count);
  await new Promise((r) => setTimeout(r, 1000));
  return ((rssOf(pid) - before) / count) * 10_000;
}
