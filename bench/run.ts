import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { botFrameworkConversation, directLineConversation, screeningAnswers } from './drivers';
import { deliverReferrals, type OutboxResult } from './outbox';
import { gcProbe, keysUnder, memoryGrowthPer10k, redisBytesPerConversation, type MemoryGrowth } from './memory';
import { projectRoot, serviceEntry, startFakeConnector, startProcess, type Started } from './processes';
import { runLoad, summarise, type Summary } from './stats';
import { fmt, formatTable, type Row } from './table';
import { redisCommandsPerTurn, type RedisCommandCount } from './redisCommands';
import { runSoak, soakRows, soakSettings, type SoakResult } from './soak';
import { scaleOutFigure, type ScaleOutFigure } from './scaleOut';
import { recordServiceReplies } from './serviceReplies';
import { loadServiceRecord } from './serviceRecord';
import { closedLoop, heapPerTurn, heapProbe, openLoop, turnTableRows, turnTableSettings, type ServiceTurns, type TurnTable } from './turnTable';

const quick = process.env.BENCH_QUICK === '1';
/**
 * BENCH_ONLY=soak runs the soak phase alone (no Redis needed), BENCH_ONLY=scale the scale-out counts alone,
 * BENCH_ONLY=turns issue 23's table alone; unset, every phase runs.
 */
const only = process.env.BENCH_ONLY || undefined;
const settings = {
  concurrency: 32,
  durationMs: quick ? 4000 : 20_000,
  warmupMs: quick ? 1500 : 5000,
  idleRedis: quick ? 200 : 500,
  // Scaled to 10,000 in the table: creating 10,000 through /api/messages alone would take minutes here.
  idleEmbedded: quick ? 1000 : 3000,
  referrals: quick ? 500 : 2000,
  // Complete screenings (15 activities each) counted with MONITOR, apart from the timed runs.
  commandCountConversations: quick ? 3 : 10,
  // Scale-out counts: complete screenings through 1, 2 and 4 instances, a few at a time.
  scaleConversations: quick ? 8 : 24,
  scaleParallel: 4,
};
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const secret = randomBytes(24).toString('base64url');
const runTag = randomBytes(4).toString('hex');

type Conversation = (id: string, record: (ms: number) => void) => Promise<void>;

/** Warm-up (not recorded), then `concurrency` conversations at a time for the duration. */
async function measure(conversation: Conversation, label: string): Promise<Summary> {
  let n = 0;
  const loop = (record: (ms: number) => void, stop: () => boolean) => async () => {
    while (!stop()) await conversation(`bench-${runTag}-${label}-${++n}`, record);
  };
  await runLoad(settings.concurrency, settings.warmupMs, (_w, record, stop) => loop(() => undefined, stop)());
  const { latencies, seconds } = await runLoad(settings.concurrency, settings.durationMs, (_w, record, stop) => loop(record, stop)());
  const summary = summarise(latencies, seconds);
  console.error(`${label}: ${fmt(summary.turnsPerSecond)} turns/s, p50 ${fmt(summary.p50)} ms, p99 ${fmt(summary.p99)} ms`);
  return summary;
}

function serviceEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    STATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DIRECTLINE_SECRET: secret,
    LOG_LEVEL: 'warn',
    // The load comes from one address at far more than a person types: the abuse limits would cut it off.
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '100000000',
  };
}

async function withProcess<T>(start: () => Promise<Started>, use: (p: Started) => Promise<T>): Promise<T> {
  const started = await start();
  try {
    return await use(started);
  } finally {
    await started.stop();
  }
}

export interface Results {
  settings: typeof settings;
  /** The ratios are within one run on this machine; the core count says what machine. */
  cores: number;
  floor: Summary;
  /** The floor on the Agents SDK (issue 23 item 4: the SDK the service moves to); absent in older results. */
  agentsFloor?: Summary;
  /** The peer: the Agents SDK's dialogs package, waterfall + text prompts on MemoryStorage. */
  peer?: Summary;
  bfEmbedded: Summary;
  bfRedis: Summary;
  dlEmbedded: Summary;
  dlRedis: Summary;
  redisCommands: RedisCommandCount;
  redisBytes: { all: number; conversationKeys: number };
  memoryPer10k: MemoryGrowth;
  outbox: OutboxRuns;
}

export interface OutboxRuns {
  embedded: OutboxResult;
  redis: OutboxResult;
  embeddedFailing: OutboxResult;
}

async function runAll(connectorUrl: string, redis: Redis, prefix: string, dataDir: () => string): Promise<Results> {
  const bf =
    (url: string): Conversation =>
    (id, record) =>
      botFrameworkConversation({ url, connectorUrl }, id, record);
  const floor = await withProcess(
    () => startProcess(join(projectRoot, 'dist', 'bench', 'floorBot.js'), {}),
    (p) => measure(bf(p.url), 'floor'),
  );
  const agentsFloor = await withProcess(
    () => startProcess(join(projectRoot, 'dist', 'bench', 'agentsFloorBot.js'), {}),
    (p) => measure(bf(p.url), 'agents-floor'),
  );
  const peer = await withProcess(
    () => startProcess(join(projectRoot, 'dist', 'bench', 'agentsPeerBot.js'), {}),
    (p) => measure(bf(p.url), 'agents-dialogs-peer'),
  );
  const embedded = () => startProcess(serviceEntry, serviceEnv(dataDir()));
  const { bfEmbedded, dlEmbedded } = await withProcess(embedded, async (p) => ({
    bfEmbedded: await measure(bf(p.url), 'bot-framework-embedded'),
    dlEmbedded: await measure((id, record) => directLineConversation(p.url, secret, id, record), 'direct-line-embedded'),
  }));
  const redisService = () => startProcess(serviceEntry, { ...serviceEnv(dataDir()), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
  const { bfRedis, dlRedis, redisCommands } = await withProcess(redisService, async (p) => ({
    bfRedis: await measure(bf(p.url), 'bot-framework-redis'),
    dlRedis: await measure((id, record) => directLineConversation(p.url, secret, id, record), 'direct-line-redis'),
    redisCommands: await redisCommandsPerTurn(redisUrl, { url: p.url, connectorUrl }, `bench-${runTag}-commands`, settings.commandCountConversations),
  }));
  console.error(`Redis commands per turn: ${fmt(redisCommands.perTurn, 2)} (${redisCommands.byName.map(([n, c]) => `${n} ${c}`).join(', ')} over ${redisCommands.turns} turns)`);
  await deleteKeys(redis, prefix);
  const redisBytes = await withProcess(redisService, (p) => redisBytesPerConversation({ url: p.url, connectorUrl }, redis, prefix, settings.idleRedis));
  const memoryFile = join(dataDir(), 'memory.json');
  const probe = gcProbe(memoryFile);
  const memoryPer10k = await withProcess(
    () => startProcess(serviceEntry, { ...serviceEnv(dataDir()), ...probe.env }, probe.nodeArgs),
    (p) => memoryGrowthPer10k({ url: p.url, connectorUrl }, p.child.pid as number, settings.idleEmbedded, memoryFile),
  );
  const outbox = await outboxRuns(prefix, dataDir);
  return { settings, cores: availableParallelism(), floor, agentsFloor, peer, bfEmbedded, bfRedis, dlEmbedded, dlRedis, redisCommands, redisBytes, memoryPer10k, outbox };
}

/**
 * Issue 23 item 4's table: the floor, the peer, the floor sending this service's replies (recorded from this
 * build first) and the service on both stores, 16 Teams-shaped conversations closed loop in one run, then
 * 100 turns/s offered across 32 conversations on each store; the service's heap allocated per turn is
 * counted over its closed-loop run.
 */
async function turnTableRun(connectorUrl: string, prefix: string, dataDir: () => string): Promise<TurnTable> {
  const s = turnTableSettings(quick);
  const teams = (url: string) => ({ url, connectorUrl, shape: 'teams' as const });
  const other = (entry: string, label: string, env: Record<string, string> = {}) =>
    withProcess(
      () => startProcess(join(projectRoot, 'dist', 'bench', entry), env),
      async (p) => {
        const summary = await closedLoop(teams(p.url), `bench-${runTag}-${label}`, s);
        console.error(`${label}: ${fmt(summary.turnsPerSecond)} turns/s, p50 ${fmt(summary.p50)} ms, p99 ${fmt(summary.p99)} ms`);
        return summary;
      },
    );
  const floor = await other('agentsFloorBot.js', 'teams-floor');
  const peer = await other('agentsPeerBot.js', 'teams-peer');
  const { repliesFile, recordFile } = await recordFloorFiles(connectorUrl, dataDir, prefix);
  const repliesFloor = await other('agentsRepliesFloorBot.js', 'teams-replies-floor', { BENCH_REPLIES_FILE: repliesFile });
  const durableFloor = await other('agentsRepliesFloorBot.js', 'teams-durable-floor', {
    BENCH_REPLIES_FILE: repliesFile,
    BENCH_RECORD_FILE: recordFile,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${prefix}floor:`,
  });
  const service = async (label: string, env: Record<string, string>): Promise<ServiceTurns> => {
    const file = join(dataDir(), 'heap.json');
    const probe = heapProbe(file);
    const closedRun = await withProcess(
      () => startProcess(serviceEntry, { ...env, ...probe.env }, probe.nodeArgs),
      async (p) => {
        let turns = 0;
        let closed: Summary | undefined;
        const heap = await heapPerTurn(
          p.child.pid as number,
          file,
          async () => void (closed = await closedLoop(teams(p.url), `bench-${runTag}-${label}`, s, () => turns++)),
          () => turns,
        );
        return { closed: closed as Summary, heap };
      },
    );
    // A fresh process for each open loop, so neither inherits the closed loop's or the other's backlog.
    const open = await withProcess(
      () => startProcess(serviceEntry, env),
      (p) => openLoop(teams(p.url), `bench-${runTag}-${label}`, s, 'mixed'),
    );
    const openInStep = await withProcess(
      () => startProcess(serviceEntry, env),
      (p) => openLoop(teams(p.url), `bench-${runTag}-${label}-in-step`, s, 'in-step'),
    );
    console.error(
      `${label}: closed ${fmt(closedRun.closed.turnsPerSecond)} turns/s (p99 ${fmt(closedRun.closed.p99)} ms); open p99 ${fmt(open.p99)} ms (in step ${fmt(openInStep.p99)} ms); heap ${fmt(closedRun.heap.allocatedPerTurn / 1024)} KiB/turn`,
    );
    return { ...closedRun, open, openInStep };
  };
  const redisTurns = await service('teams-redis', { ...serviceEnv(dataDir()), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `${prefix}turns:` });
  const embeddedTurns = await service('teams-embedded', serviceEnv(dataDir()));
  return { cores: availableParallelism(), floor, peer, repliesFloor, durableFloor, redis: redisTurns, embedded: embeddedTurns };
}

/**
 * What agentsRepliesFloorBot.ts sends and saves, from one fresh Redis service of this build: its replies to
 * one Teams-shaped screening (the connector's bodies grouped per activity answered), and the record of a
 * second conversation stopped halfway (a typical size), read back with the service's key. Written to files
 * in a fresh data directory; their paths returned.
 */
async function recordFloorFiles(connectorUrl: string, dataDir: () => string, prefix: string): Promise<{ repliesFile: string; recordFile: string }> {
  const key = randomBytes(32);
  const servicePrefix = `${prefix}recording:`;
  const env = { ...serviceEnv(dataDir()), STATE_ENCRYPTION_KEY: key.toString('base64'), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: servicePrefix };
  const halfway = `bench-${runTag}-record-recording`;
  const { recording, leftOut, otherCalls } = await withProcess(
    () => startProcess(serviceEntry, env),
    async (p) => {
      const recorded = await recordServiceReplies(p.url, `bench-${runTag}-replies-recording`);
      await botFrameworkConversation({ url: p.url, connectorUrl, shape: 'teams' }, halfway, () => undefined, screeningAnswers.slice(0, screeningAnswers.length / 2));
      return recorded;
    },
  );
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const record = await loadServiceRecord(redis, key, servicePrefix, halfway).finally(() => redis.disconnect());
  const dir = dataDir();
  const repliesFile = join(dir, 'replies.json');
  const recordFile = join(dir, 'record.json');
  const json = JSON.stringify(recording);
  writeFileSync(repliesFile, json);
  writeFileSync(recordFile, JSON.stringify(record));
  const count = recording.welcome.length + recording.turns.reduce((n, t) => n + t.length, 0);
  console.error(
    `recorded the service's replies: ${count} activities (${recording.welcome.length} welcome, ${recording.turns.length} message turns), ${fmt(json.length / 1024)} KiB; left out ${leftOut}, other connector calls ${otherCalls}; a halfway conversation record of ${fmt(JSON.stringify(record).length / 1024)} KiB`,
  );
  return { repliesFile, recordFile };
}

/**
 * Issue 23 item 5: the same screenings through 1, 2 and 4 instances on one Redis, each activity to the
 * next instance (no affinity: the worst case for remembered revisions). Counts, not capacity: on two
 * cores more instances cannot show more turns/s.
 */
async function scaleOutRuns(connectorUrl: string, prefix: string, dataDir: () => string): Promise<ScaleOutFigure[]> {
  const shared = { ...serviceEnv(''), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };
  const figures: ScaleOutFigure[] = [];
  let expectedRev: number | undefined;
  for (const n of [1, 2, 4]) {
    const instances = await Promise.all(Array.from({ length: n }, () => startProcess(serviceEntry, { ...shared, DATA_DIR: dataDir() })));
    try {
      const { revisions: _revisions, ...figure } = await scaleOutFigure(redisUrl, prefix, instances, connectorUrl, `bench-${runTag}-scale${n}`, {
        conversations: settings.scaleConversations,
        parallel: settings.scaleParallel,
        ...(expectedRev === undefined ? {} : { expectedRev }),
      });
      expectedRev ??= _revisions[0];
      figures.push(figure);
      console.error(
        `scale-out ${n}: ${fmt(figure.commandsPerTurn, 2)} commands, ${fmt(figure.roundTripsPerTurn, 2)} round trips (${fmt(figure.turnTripsPerTurn, 2)} the turn's own), ${fmt(figure.bytesPerTurn, 0)} B, ${fmt(figure.cpuMsPerTurn, 2)} ms CPU per turn; ${figure.wrongRevisions} wrong revisions (${figure.byName.map(([c, k]) => `${c} ${k}`).join(', ')})`,
      );
    } finally {
      await Promise.all(instances.map((p) => p.stop()));
    }
  }
  return figures;
}

/** One row per instance count: the per-turn counts that carry over to a bigger machine. */
export function scaleOutRows(figures: ScaleOutFigure[]): Row[] {
  return figures.flatMap((f) => [
    {
      measure: `Scale-out, ${f.instances} instance(s) on one Redis: commands / round trips (the turn's own) / bytes / service CPU per turn (${f.turns} activities)`,
      value: `${fmt(f.commandsPerTurn, 2)} / ${fmt(f.roundTripsPerTurn, 2)} (${fmt(f.turnTripsPerTurn, 2)}) / ${fmt(f.bytesPerTurn, 0)} B / ${fmt(f.cpuMsPerTurn, 2)} ms`,
      target: f.instances === 1 ? '1 round trip' : '',
      ...(f.instances === 1 ? { pass: f.roundTripsPerTurn <= 1 } : {}),
    },
    { measure: `Scale-out, ${f.instances} instance(s): conversations with a lost or doubled turn`, value: String(f.wrongRevisions), target: '0', pass: f.wrongRevisions === 0 },
  ]);
}

async function outboxRuns(prefix: string, dataDir: () => string): Promise<OutboxRuns> {
  const embedded = await deliverReferrals({ kind: 'embedded', dataDir: dataDir() }, settings.referrals, 0);
  const redis = await deliverReferrals({ kind: 'redis', url: redisUrl, keyPrefix: `${prefix}outbox:` }, settings.referrals, 0);
  const embeddedFailing = await deliverReferrals({ kind: 'embedded', dataDir: dataDir() }, settings.referrals, 0.3);
  for (const [name, r] of Object.entries({ embedded, redis, embeddedFailing })) {
    console.error(`outbox ${name}: ${fmt(r.perSecond)} deliveries/s, ${r.filed}/${r.referrals} filed, ${r.repeats} repeats, ${r.failures} 503s`);
  }
  return { embedded, redis, embeddedFailing };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

/** Issue 23's targets against the Agents SDK floor and the dialogs peer, when the run measured them. */
function agentsRows(r: Results): Row[] {
  if (!r.agentsFloor || !r.peer) return [];
  const path = (name: string, s: Summary): Row => ({ measure: `${name}: turns/s (p50 / p99 ms)`, value: `${fmt(s.turnsPerSecond)} (${fmt(s.p50)} / ${fmt(s.p99)})`, target: '' });
  const ratio = (name: string, a: Summary, b: Summary, min: number): Row => {
    const x = a.turnsPerSecond / b.turnsPerSecond;
    return { measure: name, value: `${fmt(x, 2)}x`, target: `>= ${min}x`, pass: x >= min };
  };
  return [
    path('Floor on the Agents SDK (echo, @microsoft/agents-hosting)', r.agentsFloor),
    path('Peer: Agents SDK dialogs, waterfall + prompts on MemoryStorage', r.peer),
    ratio('Bot Framework (Redis) / Agents SDK floor', r.bfRedis, r.agentsFloor, 0.6),
    ratio('Bot Framework (Redis) / peer', r.bfRedis, r.peer, 1.0),
    ratio('Bot Framework (embedded) / Agents SDK floor', r.bfEmbedded, r.agentsFloor, 0.4),
  ];
}

export function rows(r: Results): Row[] {
  const path = (name: string, s: Summary): Row => ({ measure: `${name}: turns/s (p50 / p99 ms)`, value: `${fmt(s.turnsPerSecond)} (${fmt(s.p50)} / ${fmt(s.p99)})`, target: '' });
  const bfRatio = r.bfEmbedded.turnsPerSecond / r.floor.turnsPerSecond;
  const bfRedisRatio = r.bfRedis.turnsPerSecond / r.floor.turnsPerSecond;
  const dlRatio = r.dlEmbedded.turnsPerSecond / r.bfEmbedded.turnsPerSecond;
  const dlRedisRatio = r.dlRedis.turnsPerSecond / r.bfRedis.turnsPerSecond;
  return [
    { measure: 'CPU cores available (service, Redis and load generator share them)', value: String(r.cores), target: '' },
    path('Floor (echo bot, /api/messages)', r.floor),
    path('Bot Framework path, embedded store', r.bfEmbedded),
    path('Bot Framework path, Redis store', r.bfRedis),
    path('Direct Line path (WebSocket), embedded store', r.dlEmbedded),
    path('Direct Line path (WebSocket), Redis store', r.dlRedis),
    ...agentsRows(r),
    { measure: 'Bot Framework (embedded) / floor', value: `${fmt(bfRatio, 2)}x`, target: '>= 0.8x', pass: bfRatio >= 0.8 },
    { measure: 'Bot Framework (Redis) / floor', value: `${fmt(bfRedisRatio, 2)}x`, target: '>= 0.8x', pass: bfRedisRatio >= 0.8 },
    { measure: 'Direct Line / Bot Framework (embedded)', value: `${fmt(dlRatio, 2)}x`, target: '>= 2x', pass: dlRatio >= 2 },
    { measure: 'Direct Line / Bot Framework (Redis)', value: `${fmt(dlRedisRatio, 2)}x`, target: '>= 2x', pass: dlRedisRatio >= 2 },
    { measure: 'Direct Line p99 at 32 conversations (embedded)', value: `${fmt(r.dlEmbedded.p99)} ms`, target: '<= 50 ms', pass: r.dlEmbedded.p99 <= 50 },
    { measure: 'Direct Line p99 at 32 conversations (Redis)', value: `${fmt(r.dlRedis.p99)} ms`, target: '<= 50 ms', pass: r.dlRedis.p99 <= 50 },
    {
      measure: `Redis commands per turn, Bot Framework path (${r.redisCommands.turns} activities; >= round trips)`,
      value: fmt(r.redisCommands.perTurn, 2),
      target: '<= 1',
      pass: r.redisCommands.perTurn <= 1,
    },
    {
      measure: 'Redis commands per turn by kind',
      value: r.redisCommands.byName.map(([n, c]) => `${n} ${fmt(c / r.redisCommands.turns, 2)}`).join(', '),
      target: '',
    },
    { measure: 'Redis bytes per idle conversation (all keys)', value: `${fmt(r.redisBytes.all, 0)} B`, target: '<= 4096 B', pass: r.redisBytes.all <= 4096 },
    { measure: 'Redis bytes per idle conversation (conv key)', value: `${fmt(r.redisBytes.conversationKeys, 0)} B`, target: '' },
    { measure: 'RSS growth per 10,000 idle conversations (embedded)', value: `${fmt(r.memoryPer10k.rss / 1048576)} MiB`, target: '' },
    { measure: 'Memory retained after GC per 10,000 idle conversations (embedded)', value: `${fmt(r.memoryPer10k.retained / 1048576)} MiB`, target: '' },
    ...outboxRows(r.outbox),
  ];
}

function outboxRows(o: OutboxRuns): Row[] {
  const rate = (name: string, x: OutboxResult): Row => ({
    measure: `Outbox deliveries/s, ${name} (${x.referrals} referrals)`,
    value: fmt(x.perSecond),
    target: '>= 200/s',
    pass: x.perSecond >= 200,
  });
  const f = o.embeddedFailing;
  return [
    rate('embedded', o.embedded),
    rate('Redis', o.redis),
    {
      measure: `Outbox with 30% 503s: delivered exactly once (${f.failures} 503s)`,
      value: `${f.filed}/${f.referrals} filed, ${f.repeats} repeated`,
      target: 'all, 0 repeated',
      pass: f.filedOnce,
    },
  ];
}

async function main(): Promise<void> {
  if (only !== undefined && only !== 'soak' && only !== 'scale' && only !== 'turns')
    throw new Error(`BENCH_ONLY=${only}: the phases that run alone are "soak", "scale" and "turns"`);
  const connector = await startFakeConnector();
  const redis = only === 'soak' ? undefined : new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `sgbench:${runTag}:`;
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sg-bench-'));
    dirs.push(d);
    return d;
  };
  try {
    const turnTable = redis && (only === undefined || only === 'turns') ? await turnTableRun(connector.url, prefix, dataDir) : undefined;
    const results = redis && only === undefined ? await runAll(connector.url, redis, prefix, dataDir) : undefined;
    const scaleOut = redis && only !== 'turns' ? await scaleOutRuns(connector.url, `${prefix}scale:`, dataDir) : undefined;
    const soakDir = dataDir();
    const soak: SoakResult | undefined =
      only === 'scale' || only === 'turns' ? undefined : await runSoak(connector.url, serviceEnv(soakDir), soakDir, soakSettings(quick), `soak-${runTag}`);
    const table = formatTable([
      ...(turnTable ? turnTableRows(turnTable, turnTableSettings(quick)) : []),
      ...(results ? rows(results) : []),
      ...(scaleOut ? scaleOutRows(scaleOut) : []),
      ...(soak ? soakRows(soak) : []),
    ]);
    console.log(table);
    writeFileSync(
      join(projectRoot, 'bench', 'results.json'),
      `${JSON.stringify({ at: new Date().toISOString(), cores: availableParallelism(), quick, only, turnTable, results, scaleOut, soak, table }, null, 2)}\n`,
    );
  } finally {
    if (redis) {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
    await connector.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
