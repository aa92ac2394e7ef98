import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

// Compiled to dist/bench/: the project root is two levels up. The bench must not import test/ (not built).
export const projectRoot = resolve(__dirname, '..', '..');
export const serviceEntry = join(projectRoot, 'dist', 'server', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

export interface Started {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs a built script as its own process (the service or the floor bot) and waits for /healthz.
 * `onLogLine` receives each line the process writes to stdout (the service's log); unset, stdout is dropped.
 */
export async function startProcess(entry: string, env: Record<string, string>, nodeArgs: string[] = [], onLogLine?: (line: string) => void): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', onLogLine ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  if (onLogLine) forEachLine(child, onLogLine);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${entry} exited before it was ready: ${stderr.slice(-2000)}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        url,
        child,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50)); // fine enough to time a restart
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not answer /healthz within 30 s`);
}

function forEachLine(child: ChildProcess, onLine: (line: string) => void): void {
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  });
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) * 1024 : Number.NaN;
}

/**
 * Stands in for the Bot Framework connector (`POST /v3/conversations/:id/activities[/:replyToId]`): answers
 * at once and counts, so the bot's outgoing calls cost the same in every scenario. Plain node:http keeps
 * the stub itself cheap next to what it measures.
 */
export async function startFakeConnector(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${received}` }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
