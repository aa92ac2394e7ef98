export { aggregateInsights, insightTables, type AggregateOptions } from './aggregate';
export { suppressTable, suppressionRule, suppressionThreshold } from './suppression';
export { ageBandOf, ageBands, isoWeekOf, organisationTypeOf, type AgeBand } from './dimensions';
export { acknowledgedInTime, acknowledgementDeadline, isWorkingDay } from './workingDays';
export { periodsOf } from './activityTables';
export type { AuditFact, Cell, InsightsReport, PublishedTable, RawTable } from './types';
