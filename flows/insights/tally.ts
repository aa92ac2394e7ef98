import { labelOf } from './dimensions';
import type { AuditFact, RawTable } from './types';

export const text = (fact: AuditFact, key: string): string | undefined => {
  const value = fact.payload[key];
  return typeof value === 'string' && value ? value : undefined;
};

export const count = (fact: AuditFact, key: string): number | undefined => {
  const value = fact.payload[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** How many items fall under each key (an item may give several keys, or none). */
export function countBy<T>(items: readonly T[], keysOf: (item: T) => string | string[] | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const keys = keysOf(item);
    for (const key of keys === undefined ? [] : Array.isArray(keys) ? keys : [keys]) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface TableSpec {
  id: string;
  title: string;
  rowHeader: string;
  column: string;
  /** Rows to show in this order, zeros included; otherwise the keys found, largest first. */
  order?: readonly string[];
  /** Keep only the first `limit` rows (top indicators). */
  limit?: number;
  label?: (key: string) => string;
  partition?: boolean;
  chart?: 'bar' | 'line';
}

/** A one-column table from counts by key. */
export function tableOf(spec: TableSpec, counts: Map<string, number>): RawTable {
  const keys = spec.order
    ? [...spec.order, ...[...counts.keys()].filter((k) => !spec.order!.includes(k)).sort()]
    : [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
  const label = spec.label ?? labelOf;
  return {
    id: spec.id,
    title: spec.title,
    rowHeader: spec.rowHeader,
    columns: [spec.column],
    rows: keys.slice(0, spec.limit ?? keys.length).map((key) => ({ key, label: label(key), counts: [counts.get(key) ?? 0] })),
    partition: spec.partition ?? true,
    chart: spec.chart ?? 'bar',
  };
}
