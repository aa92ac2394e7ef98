import { Redis } from 'ioredis';
import { botFrameworkConversation, type BotFrameworkTarget } from './drivers';

export interface RedisCommandCount {
  /** Timed turns (answers) plus the joins, which also touch Redis. */
  turns: number;
  commands: number;
  perTurn: number;
  /** Command name to count, most frequent first. */
  byName: [string, number][];
}

/**
 * Redis commands per turn, counted with MONITOR on the bench's own database only (other databases on a
 * shared server are ignored; INFO commandstats would count them). Run apart from the throughput phase
 * because MONITOR slows Redis. A join counts as a turn: it is an activity the service handles.
 */
export async function redisCommandsPerTurn(redisUrl: string, target: BotFrameworkTarget, tag: string, conversations: number): Promise<RedisCommandCount> {
  const monitorClient = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  const db = String(monitorClient.options.db ?? 0);
  const byName = new Map<string, number>();
  const monitor = await monitorClient.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string, database: string) => {
    // Commands a script runs inside Redis are listed with source "lua": they cost no round trip.
    if (database !== db || source === 'lua') return;
    const name = String(args[0]).toLowerCase();
    byName.set(name, (byName.get(name) ?? 0) + 1);
  });
  let turns = 0;
  try {
    for (let i = 0; i < conversations; i++) {
      await botFrameworkConversation(target, `${tag}-${i}`, () => turns++);
      turns++; // the join
    }
    // MONITOR lines can trail the last reply by a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    monitor.disconnect();
    monitorClient.disconnect();
  }
  const commands = [...byName.values()].reduce((a, b) => a + b, 0);
  return { turns, commands, perTurn: turns ? commands / turns : Number.NaN, byName: [...byName.entries()].sort((a, b) => b[1] - a[1]) };
}
