// The report as /api/insights sends it (docs/insights.openapi.yaml): the same types the server publishes.
export type { Cell, PublishedTable as Table, InsightsReport as Report } from '../../../flows/insights/types';
