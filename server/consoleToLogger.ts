import { format } from 'node:util';
import type { Logger } from './logger';

/** The first line of what a library printed, at most 200 characters: enough to recognise it, never a key dump. */
export function firstLine(args: unknown[]): string {
  const text = args[0] instanceof Error ? `${args[0].name}: ${args[0].message}` : format(...args);
  return text.replace(/-----BEGIN[\s\S]*/, '[key omitted]').split(/\r?\n/, 1)[0].slice(0, 200);
}

/**
 * Libraries that print with `console` (botbuilder writes "Error finding key for token. Available keys:"
 * and a PEM, nine lines, for every forged channel token) go through pino instead: one JSON line each,
 * first line only, so an unauthenticated caller cannot flood the log with multi-line text or break its
 * JSON parsing (pen test I2). Called once at start-up by the service's entry point.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const to = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => logger[level]({ source: 'console' }, firstLine(args));
  console.log = to('info');
  console.info = to('info');
  console.debug = to('debug');
  console.warn = to('warn');
  console.error = to('error');
}
