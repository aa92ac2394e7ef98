import { z } from 'zod';

/**
 * What switches tracing on, read from the standard OpenTelemetry variables before anything else loads
 * (it cannot wait for `loadConfig`: express, ioredis and http must be patched before they are required).
 *
 * Off unless asked for: `OTEL_TRACES_EXPORTER=otlp|console`, or an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) with no exporter named.
 * `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none` always win. The SDK's own default (export to
 * localhost:4318 whenever it is loaded) is not followed: a service that nobody configured to trace
 * should not send anything anywhere.
 */
export type TracingSettings = { enabled: false } | { enabled: true; exporter: 'console' } | { enabled: true; exporter: 'otlp'; protocol: 'http/protobuf' | 'http/json' };

const protocol = z.enum(['http/protobuf', 'http/json'], {
  error: 'must be http/protobuf or http/json (this service does not ship the gRPC exporter)',
});

const otelEnv = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false', 'TRUE', 'FALSE', '']).optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none', ''], { error: 'must be otlp, console or none' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
});

/** The settings, or one line naming the bad variable and what it must be, as `loadConfig` words it. */
export function readTracingSettings(env: NodeJS.ProcessEnv): { settings: TracingSettings } | { error: string } {
  const parsed = otelEnv.safeParse(env);
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ') };
  const vars = parsed.data;
  const exporter = vars.OTEL_TRACES_EXPORTER || undefined;
  const endpoint = vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? vars.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (vars.OTEL_SDK_DISABLED?.toLowerCase() === 'true' || exporter === 'none') return { settings: { enabled: false } };
  if (exporter === 'console') return { settings: { enabled: true, exporter } };
  if (exporter === 'otlp' || endpoint) {
    return { settings: { enabled: true, exporter: 'otlp', protocol: vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? vars.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf' } };
  }
  return { settings: { enabled: false } };
}
