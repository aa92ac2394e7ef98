export { tracedMashClient } from './tracedMashClient';
export { readTracingSettings, type TracingSettings } from './tracingSettings';
