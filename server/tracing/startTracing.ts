import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { envDetector, hostDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createScrubbingProcessor, redisStatement } from './spanHygiene';
import type { TracingSettings } from './tracingSettings';

/** Probes and scrapes, many a minute: a trace each would bury the turns. */
const untracedPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** The settings when tracing is on. */
export type TracingSettingsOn = Extract<TracingSettings, { enabled: true }>;

function exporterFor(settings: TracingSettingsOn): SpanExporter {
  if (settings.exporter === 'console') return new ConsoleSpanExporter();
  // Both read OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT themselves.
  return settings.protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}

/**
 * The instrumentations, each told to record as little as it can (`spanHygiene.ts` drops the rest):
 * Redis commands without arguments and only inside a turn or a delivery (not the outbox's idle polling),
 * no server span for probes, no outgoing span without a parent.
 */
function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => untracedPaths.has((request.url ?? '').split('?')[0]),
      requireParentforOutgoingSpans: true,
      headersToSpanAttributes: { client: { requestHeaders: [], responseHeaders: [] }, server: { requestHeaders: [], responseHeaders: [] } },
    }),
    new ExpressInstrumentation(),
    new IORedisInstrumentation({ dbStatementSerializer: redisStatement, requireParentSpan: true }),
    // Node's fetch (the MASH client and its OAuth2 token requests) is undici, which the http one does not see.
    new UndiciInstrumentation({ requireParentforSpans: true }),
  ];
}

/**
 * Starts the OpenTelemetry Node SDK for traces only (metrics stay with Prometheus on /metrics, logs with
 * pino). W3C trace context only: baggage a caller sends is not passed on to the MASH.
 */
export function startTracing(settings: TracingSettingsOn): { stop(): Promise<void> } {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'safeguarding-bot',
    // Not the process detector: it records the command line and the user the process runs as.
    resourceDetectors: [envDetector, hostDetector],
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: [createScrubbingProcessor(), new BatchSpanProcessor(exporterFor(settings))],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(),
  });
  sdk.start();
  return { stop: () => sdk.shutdown() };
}
