export { createServiceMetrics, channelLabel, type ServiceMetrics } from './serviceMetrics';
export { instrumentOutbox, instrumentTurns } from './instrument';
export { createMetricsRoute } from './metricsRoute';
