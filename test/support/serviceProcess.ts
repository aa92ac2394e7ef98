import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..', '..');
export const entryPoint = join(projectRoot, 'dist', 'server', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sg-test-'));
}

export function testKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Production settings that pass every configuration check (the pack sign-off and the Redis checks come
 * after it). One copy for every test that starts or configures a production service, so a new required
 * setting is added here once.
 */
export function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
    MicrosoftAppPassword: 'not-used',
    STATE_ENCRYPTION_KEY: testKey(),
    PUBLIC_BASE_URL: 'https://bot.example.org',
    MASH_INTAKE_URL: 'https://mash.example.gov.uk/intake/v1',
    MASH_API_TOKEN: 'mash-token-0123456789',
    MASH_WEBHOOK_SECRET: 'w'.repeat(32),
    WEBCHAT_AUTH: 'off',
    METRICS_TOKEN: 'm'.repeat(24),
    BOT_TENANT_IDS: '11111111-1111-1111-1111-111111111111',
  };
}

export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built service (`node dist/server/main.js`, what `npm start` runs) as a real process. */
export function runService(env: Record<string, string | undefined>, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [entryPoint], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Starts the service and waits until /healthz answers. */
export async function startService(env: Record<string, string | undefined>, port?: number): Promise<ServiceProcess> {
  const chosen = port ?? (await freePort());
  const { child, output, exited } = runService(env, chosen);
  const url = `http://127.0.0.1:${chosen}`;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (let i = 0; i < 200; i++) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode} before it was ready:\n${output()}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        port: chosen,
        child,
        output,
        exited,
        stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
          if (exitCode === undefined) child.kill(signal);
          return exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not answer /healthz within 20 s:\n${output()}`);
}
