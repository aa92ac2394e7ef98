import { join } from 'node:path';
import { createApp, type BuiltApp, type CreateAppOptions } from '../../server/createApp';
import { loadConfig } from '../../server/config';
import { routeConsoleToLogger } from '../../server/consoleToLogger';
import { createLogger, type Logger } from '../../server/logger';
import { projectRoot } from './serviceProcess';

/** A service built in the test's own process by the composition root, listening on a free port. */
export interface InProcessService {
  url: string;
  port: number;
  /** Everything the service logged (JSON lines), as a started process's output would show it. */
  output(): string;
  services: BuiltApp['services'];
  app: BuiltApp['app'];
  /** The graceful stop SIGTERM runs: new turns refused, in-flight ones saved, stores closed. Once only. */
  stop(): Promise<void>;
}

export interface InProcessOptions extends Omit<CreateAppOptions, 'logger'> {
  /** The port to listen on (a test that must name its address before start, e.g. an OIDC redirect); default a free one. */
  port?: number;
}

/**
 * What a library prints with `console` goes to the service's log, as `server/main.ts` routes it in the
 * built service, so `output()` holds what the process's output would. One console, so the service
 * started last that is still running gets it; the test's own console is back once none runs.
 */
const running: Logger[] = [];
let restoreConsole: (() => void) | undefined;
function routeConsole(): void {
  restoreConsole?.();
  restoreConsole = running.length ? routeConsoleToLogger(running[running.length - 1]) : undefined;
}

/**
 * `createApp(config)` in process (issue 19 item 8): the same config the built service reads from its
 * environment, the same parts, on port 0. For faults, `persistence` wraps the stores. Tests that need a
 * real process (kill -9, signals, exit codes, the start banner on stdout) use `startService` instead.
 */
export async function startInProcess(env: Record<string, string | undefined>, options: InProcessOptions = {}): Promise<InProcessService> {
  const { port = 0, ...appOptions } = options;
  let output = '';
  const logger = createLogger(env.LOG_LEVEL ?? 'info', { write: (line: string) => void (output += line) });
  // PORT keeps its default here (config refuses 0): listen(port) below picks the free port.
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  // The sources run here, not dist/: the browser bundles are where `npm run build` put them.
  const built = await createApp(config, { bundlesDir: join(projectRoot, 'dist'), ...appOptions, logger });
  running.push(logger);
  routeConsole();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= built.stop().finally(() => {
      running.splice(running.indexOf(logger), 1);
      routeConsole();
    }));
  try {
    const { server, url } = await built.listen(port);
    return {
      url,
      port: (server.address() as { port: number }).port,
      output: () => output,
      services: built.services,
      app: built.app,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
