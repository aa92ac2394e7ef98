import { format } from 'node:util';
import type { Logger } from './logger';

/** The first line of what a library printed, at most 200 characters: enough to recognise it, never a key dump. */
export function firstLine(args: unknown[]): string {
  const text = args[0] instanceof Error ? `${args[0].name}: ${args[0].message}` : format(...args);
  return text
    .replace(/-----BEGIN[\s\S]*/, '[key omitted]')
    .split(/\r?\n/, 1)[0]
    .slice(0, 200);
}

/**
 * Libraries that print with `console` (botbuilder wrote "Error finding key for token. Available keys:"
 * and a PEM, nine lines, for every forged channel token; any dependency may) go through pino instead: one JSON line each,
 * first line only, so an unauthenticated caller cannot flood the log with multi-line text or break its
 * JSON parsing (pen test I2). Called once at start-up by the service's entry point (and by a test that
 * builds the service in its own process, which puts the console back with the function returned).
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  const methods = ['log', 'info', 'debug', 'warn', 'error'] as const;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on console as it was, never called apart from it
  const before = methods.map((method) => [method, console[method]] as const);
  const to =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      logger[level]({ source: 'console' }, firstLine(args));
  const routed = { log: to('info'), info: to('info'), debug: to('debug'), warn: to('warn'), error: to('error') };
  for (const method of methods) console[method] = routed[method];
  return () => {
    // Only what is still ours: a later router (another service in the same process) keeps its own.
    for (const [method, original] of before) if (console[method] === routed[method]) console[method] = original;
  };
}
