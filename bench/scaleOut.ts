import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { storageKeyOf } from '../integrations';
import { botFrameworkConversation, screeningAnswers, type BotFrameworkTarget } from './drivers';
import type { Started } from './processes';

/** What one Redis sees per turn with `instances` services behind a round-robin balancer (issue 23 item 5). */
export interface ScaleOutFigure {
  instances: number;
  turns: number;
  commandsPerTurn: number;
  /**
   * Round trips per turn, estimated from MONITOR: a client's commands that reach Redis within 100 µs of
   * each other are counted as one write (a pipeline, or concurrent commands auto-pipelined).
   */
  roundTripsPerTurn: number;
  /**
   * Of those, the writes that carry a turn's own documents (the conversation, the reference, the awaited
   * replies, the audit chain), per turn: the turn's path without the background (pollers, rate-limit flushes).
   */
  turnTripsPerTurn: number;
  /** Bytes of command arguments per turn (keys, values, script arguments; RESP framing left out). */
  bytesPerTurn: number;
  /** Service CPU (user + system, every instance) per turn. */
  cpuMsPerTurn: number;
  /** Conversations whose stored revision differs from the single-instance run's: a lost or doubled turn. */
  wrongRevisions: number;
  byName: [string, number][];
}

const burstGapSeconds = 0.0001;
/** Key namespaces (after `sg:`) a turn itself reads or writes. */
const turnNamespaces = new Set(['conv', 'conversation-reference', 'handoff-awaiting', 'mash-question', '{audit}']);

/** `command namespace` of a MONITOR line: the namespace of its first key under the bench's prefix. */
function commandKind(args: string[], keyPrefix: string): string {
  const name = String(args[0]).toLowerCase();
  const key = args.slice(1).find((arg) => String(arg).startsWith(keyPrefix));
  return key === undefined ? name : `${name} ${String(key).slice(keyPrefix.length).replace(/^sg:/, '').split(':')[0]}`;
}
const clockTicksPerSecond = 100;

/** User + system CPU of a process so far, in ms (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

/** A target whose URL moves to the next instance on every activity, as a balancer without affinity does. */
function roundRobin(instances: Started[], connectorUrl: string): BotFrameworkTarget {
  let next = 0;
  return {
    connectorUrl,
    get url() {
      return instances[next++ % instances.length].url;
    },
  };
}

/**
 * Complete screenings, `parallel` at a time, through `instances`, counted with MONITOR on the bench's
 * database (script-internal commands left out: they cost no round trip). `expectedRev` is the stored
 * revision one screening reaches on one instance; every conversation here must reach the same.
 */
export async function scaleOutFigure(
  redisUrl: string,
  keyPrefix: string,
  instances: Started[],
  connectorUrl: string,
  tag: string,
  options: { conversations: number; parallel: number; expectedRev?: number },
): Promise<ScaleOutFigure & { revisions: number[] }> {
  // Opened in monitor mode directly (not `.monitor()`), so the error listener is there before the first line.
  const monitor = new Redis(redisUrl, { maxRetriesPerRequest: 1, monitor: true });
  const db = String(monitor.options.db ?? 0);
  const byName = new Map<string, number>();
  const lastAt = new Map<string, number>();
  /** Per client: whether its current write already counted as one of a turn's. */
  const turnBurst = new Map<string, boolean>();
  let trips = 0;
  let turnTrips = 0;
  let bytes = 0;
  // ioredis can take a MONITOR line for a reply while it switches mode, under load: a lost count, not a crash.
  monitor.on('error', (error: Error) => console.error(`MONITOR: ${error.message.slice(0, 80)}`));
  await new Promise<void>((resolve) => monitor.once('monitoring', () => resolve()));
  monitor.on('monitor', (time: string, args: string[], source: string, database: string) => {
    if (database !== db || source === 'lua') return;
    const kind = commandKind(args, keyPrefix);
    byName.set(kind, (byName.get(kind) ?? 0) + 1);
    for (const arg of args) bytes += Buffer.byteLength(String(arg));
    const at = Number(time);
    if (!(at - (lastAt.get(source) ?? 0) <= burstGapSeconds)) {
      trips += 1;
      turnBurst.set(source, false);
    }
    if (turnNamespaces.has(kind.split(' ')[1] ?? '') && !turnBurst.get(source)) {
      turnTrips += 1;
      turnBurst.set(source, true);
    }
    lastAt.set(source, at);
  });
  const target = roundRobin(instances, connectorUrl);
  const ids = Array.from({ length: options.conversations }, (_, i) => `${tag}-${i}`);
  const cpuBefore = instances.reduce((sum, p) => sum + cpuMs(p.child.pid as number), 0);
  let turns = 0;
  try {
    for (let i = 0; i < ids.length; i += options.parallel) {
      await Promise.all(ids.slice(i, i + options.parallel).map((id) => botFrameworkConversation(target, id, () => turns++, screeningAnswers).then(() => turns++)));
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // MONITOR lines can trail the last reply
  } finally {
    monitor.disconnect();
  }
  const cpu = instances.reduce((sum, p) => sum + cpuMs(p.child.pid as number), 0) - cpuBefore;
  const reader = new Redis(redisUrl, { maxRetriesPerRequest: 1, keyPrefix });
  const revisions = await Promise.all(ids.map(async (id) => Number((await reader.hget(`sg:conv:${storageKeyOf(id)}`, 'rev')) ?? 0)));
  reader.disconnect();
  const commands = [...byName.values()].reduce((a, b) => a + b, 0);
  const expected = options.expectedRev ?? revisions[0];
  return {
    instances: instances.length,
    turns,
    commandsPerTurn: commands / turns,
    roundTripsPerTurn: trips / turns,
    turnTripsPerTurn: turnTrips / turns,
    bytesPerTurn: bytes / turns,
    cpuMsPerTurn: cpu / turns,
    wrongRevisions: revisions.filter((r) => r !== expected).length,
    byName: [...byName.entries()].sort((a, b) => b[1] - a[1]),
    revisions,
  };
}
