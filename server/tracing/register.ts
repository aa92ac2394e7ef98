import type * as StartTracing from './startTracing';
import { readTracingSettings } from './tracingSettings';

/**
 * Imported first by `server/main.ts` (or preloaded with `node --require dist/server/tracing/register.js`):
 * the instrumentations patch http, express and ioredis as they are required, so they must be in place
 * before the rest of the service loads. Tracing is process-wide by nature (OpenTelemetry's global
 * provider), which is why this one module holds state; a bad OTEL_* variable is reported by `main()` as
 * a configuration error rather than thrown while modules load.
 */
const read = readTracingSettings(process.env);

function start(settings: StartTracing.TracingSettingsOn) {
  // Required only when tracing is on, and synchronously so it still comes first: loading the SDK and
  // its exporters costs about 0.6 s and 30 MB at every start, which a service that does not trace
  // should not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { startTracing } = require('./startTracing') as typeof StartTracing;
  return startTracing(settings);
}

const started = 'settings' in read && read.settings.enabled ? start(read.settings) : undefined;

/** The OTEL_* configuration error, if any, for `main()` to report. */
export const tracingConfigError: string | undefined = 'error' in read ? read.error : undefined;

/** Exports the spans still buffered; called at shutdown after the service stopped. */
export async function stopTracing(): Promise<void> {
  await started?.stop();
}
