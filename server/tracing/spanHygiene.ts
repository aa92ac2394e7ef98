import { SpanStatusCode } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * What a span may carry out of this service. Traces go to an operator's collector, outside the
 * safeguarding record's retention and access rules, so they hold nothing about a child or a referrer:
 * methods, route templates, status codes, Redis command names and our own non-identifying tags. Every
 * other attribute an instrumentation records (full URLs and query strings, Redis arguments, client
 * addresses, user agents, header values) is dropped, whatever library version added it.
 */
const keptAttributes = new Set([
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.route',
  'http.scheme',
  'http.flavor',
  'network.protocol.version',
  'url.scheme',
  'server.address',
  'server.port',
  'net.peer.name',
  'net.peer.port',
  'error.type',
  'express.name',
  'express.type',
  'db.system',
  'db.system.name',
  'db.operation.name',
  // The ioredis instrumentation's statement, cut to the command name by `redisStatement`.
  'db.statement',
  'db.query.text',
  'db.redis.database_index',
]);

/** Our own tags (`server/tracing/tracedMashClient.ts`): fixed words, never values from a conversation. */
const ownPrefix = 'safeguarding.';

const isKept = (key: string) => keptAttributes.has(key) || key.startsWith(ownPrefix);

/** The ioredis `dbStatementSerializer`: the command name only, never its keys or values. */
export function redisStatement(commandName: string, _args?: unknown): string {
  return commandName;
}

/** A span name without a query string (span names come from routes, but an unmatched request has none). */
function withoutQuery(name: string): string {
  const cut = name.search(/[?#]/);
  return cut === -1 ? name : name.slice(0, cut);
}

function scrubAttributes(attributes: Record<string, unknown>): void {
  for (const key of Object.keys(attributes)) if (!isKept(key)) delete attributes[key];
}

/** An exception event keeps its type; its message and stack can quote what was being handled. */
function scrubEvents(span: Span): void {
  for (const event of span.events) {
    const type = event.attributes?.['exception.type'];
    event.attributes = event.name === 'exception' && typeof type === 'string' ? { 'exception.type': type } : {};
  }
}

/**
 * Scrubs every span as it ends, before any exporter sees it (`onEnding` runs while the span can still
 * change): the allowlist above, no status message, no event details, no query string in the name. The
 * instrumentations are configured not to record identifying values in the first place (see
 * `instrumentationsConfig`); this is the guarantee that holds if one of them starts to.
 */
export function createScrubbingProcessor(): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnding(span: Span) {
      scrubAttributes(span.attributes);
      scrubEvents(span);
      // setStatus without a description replaces an error's message (only errors carry one).
      if (span.status.code === SpanStatusCode.ERROR) span.setStatus({ code: SpanStatusCode.ERROR });
      span.updateName(withoutQuery(span.name));
    },
    onEnd: () => undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
