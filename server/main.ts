// First, before anything requires http, express or ioredis: OpenTelemetry patches them as they load.
import { stopTracing, tracingConfigError } from './tracing/register';
import { DomainError, isDomainError } from '../flows';
import { loadConfig, withDefaultMode, type Config } from './config';
import { createApp, shutdownBudgetMs } from './createApp';
import { createLogger, type Logger } from './logger';
import { routeConsoleToLogger } from './consoleToLogger';

/** Builds every part from config (`createApp`, the composition root) and starts listening on PORT. */
export async function startService(config: Config, logger: Logger) {
  const built = await createApp(config, { logger });
  const { server } = await built.listen();
  return { server, stop: () => built.stop(), services: built.services, app: built.app };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    if (tracingConfigError) throw new DomainError('SG-CONFIG-INVALID', tracingConfigError);
    config = loadConfig(withDefaultMode(process.env, process.argv.slice(2)));
  } catch (error) {
    // One line naming the variable: what an operator reads first in a crash-looping container.
    process.stderr.write(`safeguarding-bot: configuration error: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  routeConsoleToLogger(logger);
  const service = await startService(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, shutdownBudgetMs).unref();
    service
      .stop()
      .then(stopTracing)
      .then(
        () => {
          clearTimeout(force);
          logger.info('stopped');
          logger.flush();
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const message = isDomainError(error) ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`safeguarding-bot: failed to start: ${message}\n`);
    process.exit(1);
  });
}
