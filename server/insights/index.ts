export { createInsightsRoutes, type InsightsRoutesOptions } from './createInsightsRoutes';
export { insightsContentSecurityPolicy } from './headers';
export { insightsQuerySchema, parseInsightsQuery, maxRangeDays } from './query';
