import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { botFrameworkConversation, type BotFrameworkTarget } from './drivers';
import { rssOf, serviceEntry, startProcess, type Started } from './processes';
import { fmt, type Row } from './table';

/** The shortest visit there is: the join (welcome and menu) and one question answered from the pack. */
const soakAnswers = ['Who can I call?'];

export interface SoakSettings {
  conversations: number;
  /** Short enough that part of the run has expired by the restart, so the purge has something to remove. */
  ttlHours: number;
  concurrency: number;
}

export const soakSettings = (quick: boolean): SoakSettings => ({
  conversations: quick ? 1000 : 20_000,
  // Quick: about 20 s of load, so 7.2 s; full: several minutes, so 3 min (reliability experiment 10).
  ttlHours: quick ? 0.002 : 0.05,
  concurrency: 16,
});

export interface RssSample {
  percent: number;
  conversations: number;
  bytes: number;
}

export interface SoakResult {
  settings: SoakSettings;
  seconds: number;
  turns: number;
  errors: number;
  rss: RssSample[];
  /** DATA_DIR after the load, before any purge: bytes written and bytes the disk gave them. */
  dataDir: { files: number; bytes: number; diskBytes: number };
  purge: { conversationFiles: number; expiredAtRestart: number; removed: number; left: number; seconds: number };
  stopSeconds: number;
  /** The first start, on an empty DATA_DIR: what starting costs on this machine now, whatever is stored. */
  freshStartSeconds: number;
  restartSeconds: number;
}

async function usage(dir: string): Promise<SoakResult['dataDir']> {
  const total = { files: 0, bytes: 0, diskBytes: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    // The running service checkpoints its journal meanwhile: a journal listed a moment ago may be gone.
    const s = await stat(join(entry.parentPath, entry.name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!s) continue;
    total.files += 1;
    total.bytes += s.size;
    total.diskBytes += s.blocks * 512;
  }
  return total;
}

/** Conversation files and how many of them have expired at `now` (`expiresAt` is stored in the clear). */
async function conversationFiles(dataDir: string, now: number): Promise<{ files: number; expired: number }> {
  const dir = join(dataDir, 'conversations');
  let files = 0;
  let expired = 0;
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    files += 1;
    const { expiresAt } = JSON.parse(await readFile(join(dir, name), 'utf8')) as { expiresAt: number };
    if (expiresAt <= now) expired += 1;
  }
  return { files, expired };
}

/** Drives `count` conversations, `concurrency` at a time, sampling the service's RSS at each quarter. */
async function drive(target: BotFrameworkTarget, pid: number, settings: SoakSettings, tag: string): Promise<{ errors: number; rss: RssSample[] }> {
  const { conversations: count, concurrency } = settings;
  const rss: RssSample[] = [{ percent: 0, conversations: 0, bytes: rssOf(pid) }];
  const quarters = [25, 50, 75, 100].map((percent) => ({ percent, at: Math.ceil((count * percent) / 100) }));
  let next = 0;
  let done = 0;
  let errors = 0;
  const finished = () => {
    done += 1;
    const quarter = quarters.find((q) => q.at === done);
    if (quarter) {
      rss.push({ percent: quarter.percent, conversations: done, bytes: rssOf(pid) });
      console.error(`soak: ${done}/${count} conversations, RSS ${fmt(rss[rss.length - 1].bytes / 1048576)} MiB, ${errors} errors`);
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const id = `${tag}-${next++}`;
        await botFrameworkConversation(target, id, () => undefined, soakAnswers).catch((error: unknown) => {
          if (errors++ === 0) console.error(`soak: first error: ${(error as Error).message}`);
        });
        finished();
      }
    }),
  );
  return { errors, rss };
}

/** Resolves with the next "expired documents purged" line the service logs (fields: documents, ms). */
function purgeLogWatcher(): { onLine: (line: string) => void; purged: Promise<{ documents: number; ms: number }> } {
  let found: (value: { documents: number; ms: number }) => void = () => undefined;
  const purged = new Promise<{ documents: number; ms: number }>((resolve) => (found = resolve));
  const onLine = (line: string) => {
    if (!line.includes('expired documents purged')) return;
    const { documents, ms } = JSON.parse(line) as { documents: number; ms: number };
    found({ documents, ms });
  };
  return { onLine, purged };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`soak: no ${what} within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Stops the loaded service, starts it again on the same DATA_DIR and times it, then waits for its start-up purge. */
async function restart(loaded: Started, env: Record<string, string>, dataDir: string): Promise<Pick<SoakResult, 'purge' | 'stopSeconds' | 'restartSeconds'>> {
  let started = performance.now();
  await loaded.stop();
  const stopSeconds = (performance.now() - started) / 1000;
  const before = await conversationFiles(dataDir, Date.now());
  const watcher = purgeLogWatcher();
  started = performance.now();
  const again = await startProcess(serviceEntry, { ...env, LOG_LEVEL: 'info' }, [], watcher.onLine);
  const restartSeconds = (performance.now() - started) / 1000;
  try {
    const { documents, ms } = await within(watcher.purged, 300_000, 'start-up purge');
    const after = await conversationFiles(dataDir, Date.now());
    const purge = { conversationFiles: before.files, expiredAtRestart: before.expired, removed: documents, left: after.files, seconds: ms / 1000 };
    return { purge, stopSeconds, restartSeconds };
  } finally {
    await again.stop();
  }
}

/**
 * The soak (reliability experiment 10): many short conversations through /api/messages on the embedded
 * store, the service's RSS at each quarter, what DATA_DIR holds per conversation, then a restart on that
 * DATA_DIR: how long until /healthz answers, and what the start-up purge removed. `env` must keep the
 * same encryption key across the restart.
 */
export async function runSoak(connectorUrl: string, env: Record<string, string>, dataDir: string, settings: SoakSettings, tag: string): Promise<SoakResult> {
  const serviceEnv = { ...env, DATA_DIR: dataDir, CONVERSATION_TTL_HOURS: String(settings.ttlHours) };
  const spawned = performance.now();
  const loaded = await startProcess(serviceEntry, serviceEnv);
  const freshStartSeconds = (performance.now() - spawned) / 1000;
  try {
    await new Promise((r) => setTimeout(r, 1000)); // let start-up work settle before the 0 % sample
    const started = performance.now();
    const { errors, rss } = await drive({ url: loaded.url, connectorUrl }, loaded.child.pid as number, settings, tag);
    const seconds = (performance.now() - started) / 1000;
    const turns = settings.conversations * (1 + soakAnswers.length);
    const dataDirUsage = await usage(dataDir);
    const restarted = await restart(loaded, serviceEnv, dataDir);
    return { settings, seconds, turns, errors, rss, dataDir: dataDirUsage, freshStartSeconds, ...restarted };
  } finally {
    await loaded.stop(); // already stopped by the restart unless something failed before it
  }
}

const mib = (bytes: number) => fmt(bytes / 1048576, 0);
const kb = (bytes: number) => fmt(bytes / 1000, 1);

/** The soak's lines of the result table. */
export function soakRows(s: SoakResult): Row[] {
  const rssAt = (percent: number) => s.rss.find((r) => r.percent === percent)?.bytes ?? Number.NaN;
  const growth = rssAt(100) / rssAt(25);
  const n = s.settings.conversations;
  const { purge } = s;
  return [
    {
      measure: `Soak: ${n} conversations (join + 1 question), embedded, TTL ${s.settings.ttlHours} h`,
      value: `${s.turns} turns, ${fmt(s.turns / s.seconds)}/s, ${s.errors} errors`,
      target: '0 errors',
      pass: s.errors === 0,
    },
    { measure: 'Soak: RSS at 0 / 25 / 50 / 75 / 100 %', value: `${s.rss.map((r) => mib(r.bytes)).join(' / ')} MiB`, target: '' },
    { measure: 'Soak: RSS growth from 25 % to 100 %', value: `${fmt(growth, 2)}x`, target: '<= 1.2x', pass: growth <= 1.2 },
    { measure: 'Soak: DATA_DIR per conversation (before the purge)', value: `${kb(s.dataDir.diskBytes / n)} kB on disk (${kb(s.dataDir.bytes / n)} kB of files)`, target: '' },
    {
      measure: 'Soak: start-up purge after the restart',
      value: `${purge.removed} of ${purge.conversationFiles} removed in ${fmt(purge.seconds)} s (${purge.expiredAtRestart} expired)`,
      target: 'all expired',
      pass: purge.removed >= purge.expiredAtRestart,
    },
    {
      measure: 'Soak: restart on that DATA_DIR until /healthz',
      value: `${fmt(s.restartSeconds, 2)} s (empty: ${fmt(s.freshStartSeconds, 2)} s; stop ${fmt(s.stopSeconds, 2)} s)`,
      target: '<= 5 s',
      pass: s.restartSeconds <= 5,
    },
  ];
}
