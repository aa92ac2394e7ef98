import type { Redis } from 'ioredis';
import { createEnvelopeCipher, createRedisClient, type EncryptionKey, type EnvelopeCipher } from '../../integrations';
import { loadConfig, type Config } from '../config';
import { createPersistence, type Persistence } from '../createPersistence';
import { resolveEncryptionKeys } from '../encryptionKeys';
import { createLogger, type Logger } from '../logger';

/** Where a command-line tool writes: stdout for results, stderr for problems (tests capture both). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

export interface CliContext {
  config: Config;
  keys: EncryptionKey[];
  cipher: EnvelopeCipher;
  logger: Logger;
  /** Connected when REDIS_URL is set (the same store the service uses). */
  redis?: Redis;
  /**
   * What the service's keys start with: REDIS_KEY_PREFIX, then `sg:`. The tools' client has no ioredis
   * keyPrefix, because SCAN patterns and replies carry the full key; they pass this one explicitly.
   */
  keyPrefix: string;
  close(): Promise<void>;
}

/**
 * The same configuration, keys and store as the service, so an admin tool run beside a running
 * instance sees exactly its data. Logs go to stderr and only at warn and above.
 */
export async function openCliContext(env: NodeJS.ProcessEnv, options: { connectRedis?: boolean } = {}): Promise<CliContext> {
  const config = loadConfig(env);
  const logger = createLogger('warn', process.stderr);
  const keys = await resolveEncryptionKeys(config, logger);
  let redis: Redis | undefined;
  if (config.REDIS_URL && options.connectRedis !== false) {
    redis = createRedisClient(config.REDIS_URL);
    await redis.connect();
  }
  const close = async () => {
    if (redis) await redis.quit().catch(() => undefined);
  };
  return { config, keys, cipher: createEnvelopeCipher(keys), logger, redis, keyPrefix: `${config.REDIS_KEY_PREFIX ?? ''}sg:`, close };
}

/** Runs a tool's body and turns any failure into exit code 1 with its message (no stack, no data). */
export async function runCli(io: Output, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    io.err(`error${typeof code === 'string' ? ` ${code}` : ''}: ${(error as Error).message}`);
    return 1;
  }
}

/** The service's stores, opened as the service opens them, for the length of `body`; closed after. */
export async function withPersistence<T>(env: NodeJS.ProcessEnv, body: (persistence: Persistence) => Promise<T>): Promise<T> {
  const context = await openCliContext(env, { connectRedis: false });
  const persistence = await createPersistence(context.config, context.keys, context.logger);
  try {
    return await body(persistence);
  } finally {
    await persistence.close();
    await context.close();
  }
}

/** Runs a tool's `main` when its file is the entry point, with the exit code it returns. */
export function runAsEntryPoint(module: NodeJS.Module, main: (args: string[], env: NodeJS.ProcessEnv, io: Output) => Promise<number>): void {
  if (require.main !== module) return;
  void main(process.argv.slice(2), process.env, consoleOutput).then((code) => {
    process.exitCode = code;
  });
}
