import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './serviceProcess';

export interface OwnRedis {
  port: number;
  url: string;
  dir: string;
  pid: number;
  child: ChildProcess;
  /** Stops it by its PID (SIGKILL when `hard`), and waits for the exit. */
  stop(hard?: boolean): Promise<void>;
}

/**
 * A redis-server of the test's own on a free loopback port with its own `--dir` (never the shared 6379):
 * chaos tests freeze, kill and empty it. `aof`: appendonly with fsync always, as production must run.
 */
export async function startOwnRedis(options: { aof?: boolean; dir?: string; extra?: string[]; port?: number } = {}): Promise<OwnRedis> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sg-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--protected-mode',
    'no',
    '--maxmemory-policy',
    'noeviction',
    ...(options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...(options.extra ?? []),
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const ok = await probe.connect().then(
      () => probe.ping().then(() => true),
      () => false,
    );
    probe.disconnect();
    if (ok) break;
    if (i > 100) throw new Error(`redis-server did not start on ${port}:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url,
    dir,
    child,
    pid: child.pid as number,
    async stop(hard = false) {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid as number, 'SIGCONT'); // a frozen one cannot act on SIGTERM
        process.kill(child.pid as number, hard ? 'SIGKILL' : 'SIGTERM');
      }
      await exited;
    },
  };
}
