import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { botFrameworkConversation, screeningAnswers, type BotFrameworkTarget } from './drivers';
import { runLoad, summarise, type Summary } from './stats';
import { fmt, type Row } from './table';

/** Issue 23 item 4's table: its shapes and loads, apart from the older 32-conversation emulator runs. */
export const turnTableSettings = (quick: boolean) => ({
  closedConversations: 16,
  openConversations: 32,
  openTurnsPerSecond: 100,
  durationMs: quick ? 4000 : 20_000,
  warmupMs: quick ? 1500 : 5000,
});
export type TurnTableSettings = ReturnType<typeof turnTableSettings>;

export interface HeapPerTurn {
  /** Bytes allocated on the JS heap per turn (joins included in the turns). */
  allocatedPerTurn: number;
  gcsPer1000Turns: number;
  gcMsPerTurn: number;
}

export interface ServiceTurns {
  closed: Summary;
  /** Conversations at mixed steps (the target's shape). */
  open: Summary;
  /** The same load with every conversation at the same step: the worst burst (absent in older results). */
  openInStep?: Summary;
  heap?: HeapPerTurn;
}

export interface TurnTable {
  cores: number;
  floor: Summary;
  peer: Summary;
  /** The floor sending this service's recorded replies (agentsRepliesFloorBot.ts); absent in older results. */
  repliesFloor?: Summary;
  /** The same, saving the service's encrypted conversation record per activity on Redis (no dialogue); absent in older results. */
  durableFloor?: Summary;
  redis: ServiceTurns;
  embedded: ServiceTurns;
}

let run = 0;

/** Closed loop: `conversations` at a time, each answer sent as soon as the last one's reply landed. */
export async function closedLoop(target: BotFrameworkTarget, tag: string, s: TurnTableSettings, onTurn?: () => void): Promise<Summary> {
  const loop = (record: (ms: number) => void, stop: () => boolean) => async () => {
    while (!stop()) await botFrameworkConversation(target, `${tag}-${++run}`, (ms) => (record(ms), onTurn?.()));
  };
  await runLoad(s.closedConversations, s.warmupMs, (_w, _record, stop) => loop(() => undefined, stop)());
  const { latencies, seconds } = await runLoad(s.closedConversations, s.durationMs, (_w, record, stop) => loop(record, stop)());
  return summarise(latencies, seconds);
}

/**
 * How the open loop's conversations are placed against each other. `mixed`: their first answers are spread
 * over one conversation's length, so at any moment they are at different steps, as independent
 * professionals are (the target's shape). `in-step`: they start together and stay at the same step, 10 ms
 * apart, so every conversation reaches the heaviest turn (the screening's result: two replies, the audit
 * record) within one interval: a burst no real traffic makes, reported as the worst case.
 */
export type OpenLoopPhases = 'mixed' | 'in-step';

/**
 * Open loop: `openTurnsPerSecond` answers offered across `openConversations`, each conversation on its own
 * schedule (one answer every conversations / rate seconds). A turn's latency counts from when it was due,
 * so a turn that waited for the one before it in its conversation shows that wait. With `mixed` phases the
 * offered load reaches its rate once every conversation has started (one conversation's length), and the
 * warm-up counts from then.
 */
export async function openLoop(target: BotFrameworkTarget, tag: string, s: TurnTableSettings, phases: OpenLoopPhases = 'mixed'): Promise<Summary> {
  const interval = (1000 * s.openConversations) / s.openTurnsPerSecond;
  const spread = phases === 'mixed' ? screeningAnswers.length * interval : interval;
  const ramp = phases === 'mixed' ? spread : 0;
  const start = performance.now() + 100;
  const measureFrom = start + ramp + s.warmupMs;
  const sleepUntil = (t: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, t - performance.now())));
  const latencies: number[] = [];
  const end = measureFrom + s.durationMs;
  await Promise.all(
    Array.from({ length: s.openConversations }, async (_, worker) => {
      let next = start + (worker * spread) / s.openConversations;
      const due = async () => {
        const at = next;
        if (at >= end) return undefined; // the offered load stops; what is in flight finishes
        next += interval;
        await sleepUntil(at);
        return at;
      };
      while (next < end) {
        // Recorded when due inside the measured window, after the ramp and the warm-up.
        await botFrameworkConversation(target, `${tag}-open-${++run}`, (ms) => void (performance.now() - ms >= measureFrom && latencies.push(ms)), undefined, due);
      }
    }),
  );
  return summarise(latencies, s.durationMs / 1000);
}

/** Node flags and environment that let the bench ask the service for the heap it allocated (heapProbe.ts). */
export function heapProbe(file: string): { nodeArgs: string[]; env: Record<string, string> } {
  return { nodeArgs: ['--require', join(__dirname, 'heapProbe.js')], env: { BENCH_HEAP_FILE: file } };
}

const heapFileSchema = z.object({ allocated: z.number(), gcs: z.number(), gcMs: z.number() });

/** Counts the heap `pid` allocates while `work` runs; `turns` is read after it. */
export async function heapPerTurn(pid: number, file: string, work: () => Promise<void>, turns: () => number): Promise<HeapPerTurn> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  await work();
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((done) => setTimeout(done, 50));
  const { allocated, gcs, gcMs } = heapFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const n = Math.max(1, turns());
  return { allocatedPerTurn: allocated / n, gcsPer1000Turns: (1000 * gcs) / n, gcMsPerTurn: gcMs / n };
}

export function turnTableRows(t: TurnTable, s: TurnTableSettings): Row[] {
  const closed = (name: string, x: Summary): Row => ({
    measure: `${name}, closed loop (turns/s, p50 / p99 ms)`,
    value: `${fmt(x.turnsPerSecond)} (${fmt(x.p50)} / ${fmt(x.p99)})`,
    target: '',
  });
  const ratio = (name: string, a: Summary, b: Summary, min: number): Row => {
    const x = a.turnsPerSecond / b.turnsPerSecond;
    return { measure: name, value: `${fmt(x, 2)}x`, target: `>= ${min}x`, pass: x >= min };
  };
  const open = (name: string, x: Summary): Row => ({
    measure: `${name}: open loop ${s.openTurnsPerSecond} turns/s offered across ${s.openConversations} conversations at mixed steps, p99 (p50; turns/s done)`,
    value: `${fmt(x.p99)} ms (${fmt(x.p50)} ms; ${fmt(x.turnsPerSecond)})`,
    target: '<= 50 ms',
    pass: x.p99 <= 50,
  });
  const inStep = (name: string, x: Summary | undefined): Row[] =>
    x
      ? [
          {
            measure: `${name}: the same open loop with every conversation at the same step (worst burst), p99 (p50; turns/s done)`,
            value: `${fmt(x.p99)} ms (${fmt(x.p50)} ms; ${fmt(x.turnsPerSecond)})`,
            target: '',
          },
        ]
      : [];
  /** The service against the floor sending its own replies: the share of the gap that is the service's own work (no target). */
  const againstRepliesFloor = (name: string, a: Summary): Row[] =>
    t.repliesFloor ? [{ measure: `${name} / floor sending the same replies`, value: `${fmt(a.turnsPerSecond / t.repliesFloor.turnsPerSecond, 2)}x`, target: '' }] : [];
  /** The Redis service against the floor that also keeps its state on Redis: what its dialogue, audit and references cost (no target). */
  const againstDurableFloor = (name: string, a: Summary): Row[] =>
    t.durableFloor ? [{ measure: `${name} / floor saving the same record`, value: `${fmt(a.turnsPerSecond / t.durableFloor.turnsPerSecond, 2)}x`, target: '' }] : [];
  const heap = (name: string, h: HeapPerTurn | undefined): Row[] =>
    h
      ? [
          {
            measure: `${name}: JS heap allocated per turn (GCs per 1,000 turns; GC ms per turn)`,
            value: `${fmt(h.allocatedPerTurn / 1024)} KiB (${fmt(h.gcsPer1000Turns)}; ${fmt(h.gcMsPerTurn, 2)})`,
            target: '',
          },
        ]
      : [];
  return [
    {
      measure: `Issue 23 table: ${s.closedConversations} concurrent conversations, Teams-shaped activities (msteams, card replies from the service); CPU cores`,
      value: String(t.cores),
      target: '',
    },
    closed('Floor: Agents SDK echo', t.floor),
    closed('Peer: Agents SDK dialogs on MemoryStorage', t.peer),
    ...(t.repliesFloor ? [closed("Floor sending this service's replies (same cards, same count, no state)", t.repliesFloor)] : []),
    ...(t.durableFloor ? [closed("The same, saving this service's encrypted record per activity (Redis compare-and-set, no dialogue)", t.durableFloor)] : []),
    closed('This service, Redis', t.redis.closed),
    closed('This service, embedded', t.embedded.closed),
    ratio('Redis / floor (16 Teams conversations)', t.redis.closed, t.floor, 0.6),
    ratio('Redis / peer (16 Teams conversations)', t.redis.closed, t.peer, 1.0),
    ratio('Embedded / floor (16 Teams conversations)', t.embedded.closed, t.floor, 0.4),
    { measure: 'Peer / floor (16 Teams conversations)', value: `${fmt(t.peer.turnsPerSecond / t.floor.turnsPerSecond, 2)}x`, target: '' },
    ...againstRepliesFloor('Redis', t.redis.closed),
    ...againstRepliesFloor('Embedded', t.embedded.closed),
    ...(t.durableFloor
      ? [
          {
            measure: 'Floor saving the same record / floor (these replies with durable, encrypted state and no dialogue)',
            value: `${fmt(t.durableFloor.turnsPerSecond / t.floor.turnsPerSecond, 2)}x`,
            target: '',
          },
        ]
      : []),
    ...againstDurableFloor('Redis', t.redis.closed),
    open('Redis', t.redis.open),
    open('Embedded', t.embedded.open),
    ...inStep('Redis', t.redis.openInStep),
    ...inStep('Embedded', t.embedded.openInStep),
    ...heap('Redis', t.redis.heap),
    ...heap('Embedded', t.embedded.heap),
  ];
}
