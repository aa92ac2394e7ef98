/**
 * The shapes partnership insight works on. `AuditFact` is the part of an audit entry the aggregates
 * read (flows/ cannot import integrations/, so it is structural); the tables it makes hold counts only.
 */
export interface AuditFact {
  id: string;
  recordType: string;
  recordedAt: string;
  actor: { channelId: string; organisation?: string };
  payload: Record<string, unknown>;
}

/** A table of counts before suppression: rows by a dimension, one column per series. */
export interface RawTable {
  id: string;
  title: string;
  /** Header of the row labels (the dimension), e.g. "Outcome", "Month". */
  rowHeader: string;
  columns: string[];
  rows: Array<{ key: string; label: string; counts: number[] }>;
  /**
   * True when the rows split one whole (each record in exactly one row), so a Total row is shown and
   * secondary suppression protects it. False for overlapping rows (indicators: a screening has several).
   */
  partition: boolean;
  chart: 'bar' | 'line';
}

/** A published cell: a count of 5 or more, "<5" (primary), or "[c]" (withheld so "<5" cannot be worked out). */
export type Cell = number | '<5' | '[c]';

export interface PublishedTable {
  id: string;
  title: string;
  rowHeader: string;
  columns: string[];
  rows: Array<{ key: string; label: string; cells: Cell[] }>;
  /** Column totals (partition tables only). */
  totals?: Cell[];
  chart: 'bar' | 'line';
}

export interface InsightsReport {
  /** Inclusive local dates (Europe/London), YYYY-MM-DD. */
  from: string;
  to: string;
  generatedAt: string;
  suppression: { threshold: number; rule: string };
  tables: PublishedTable[];
}
