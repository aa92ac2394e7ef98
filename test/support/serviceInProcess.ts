import { createApp, type BuiltApp, type CreateAppOptions } from '../../server/createApp';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';

/** A service built in the test's own process by the composition root, listening on a free port. */
export interface InProcessService {
  url: string;
  port: number;
  /** Everything the service logged (JSON lines), as a started process's output would show it. */
  output(): string;
  services: BuiltApp['services'];
  app: BuiltApp['app'];
  /** The graceful stop SIGTERM runs: new turns refused, in-flight ones saved, stores closed. */
  stop(): Promise<void>;
}

/**
 * `createApp(config)` in process (issue 19 item 8): the same config the built service reads from its
 * environment, the same parts, on port 0. For faults, `persistence` wraps the stores. Tests that need a
 * real process (kill -9, signals, exit codes, the start banner on stdout) use `startService` instead.
 */
export async function startInProcess(env: Record<string, string | undefined>, options: Omit<CreateAppOptions, 'logger'> = {}): Promise<InProcessService> {
  let output = '';
  const logger = createLogger(env.LOG_LEVEL ?? 'info', { write: (line: string) => void (output += line) });
  // PORT keeps its default here (config refuses 0): listen(0) below picks the free port.
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const built = await createApp(config, { ...options, logger });
  const { server, url } = await built.listen(0);
  return {
    url,
    port: (server.address() as { port: number }).port,
    output: () => output,
    services: built.services,
    app: built.app,
    stop: () => built.stop(),
  };
}
