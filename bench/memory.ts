import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { botFrameworkConversation, type BotFrameworkTarget } from './drivers';
import { rssOf } from './processes';

/** An idle conversation: joined, two answers given, then left (the state a professional walks away from). */
const idleAnswers = ['Is this exploitation?', 'A child (under 18)'];

async function createIdle(target: BotFrameworkTarget, tag: string, count: number, concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await botFrameworkConversation(target, `${tag}-${next++}`, () => undefined, idleAnswers);
    }),
  );
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

/** Node flags and environment that let `retainedAfterGc` ask the service for its memory after a full GC. */
export function gcProbe(file: string): { nodeArgs: string[]; env: Record<string, string> } {
  return { nodeArgs: ['--expose-gc', '--require', join(__dirname, 'gcOnSignal.js')], env: { BENCH_MEMORY_FILE: file } };
}

async function retainedAfterGc(pid: number, file: string): Promise<number> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  const usage = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; external: number };
  return usage.heapUsed + usage.external;
}

export interface MemoryGrowth {
  /** Resident set size growth: what the host sees, uncollected garbage included. */
  rss: number;
  /** Heap and external memory still held after a full GC: what idle conversations really cost the process. */
  retained: number;
}

/**
 * Growth of the service process while `count` idle conversations pile up in the embedded store, per
 * 10,000. The service must have been started with `gcProbe(file)`.
 */
export async function memoryGrowthPer10k(target: BotFrameworkTarget, pid: number, count: number, file: string): Promise<MemoryGrowth> {
  await createIdle(target, 'idle-warm', 200);
  await new Promise((r) => setTimeout(r, 1000));
  const [rssBefore, retainedBefore] = [rssOf(pid), await retainedAfterGc(pid, file)];
  await createIdle(target, 'idle-rss', count);
  await new Promise((r) => setTimeout(r, 1000));
  const [rssAfter, retainedAfter] = [rssOf(pid), await retainedAfterGc(pid, file)];
  return { rss: ((rssAfter - rssBefore) / count) * 10_000, retained: ((retainedAfter - retainedBefore) / count) * 10_000 };
}
