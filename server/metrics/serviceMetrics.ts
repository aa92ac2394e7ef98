import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HandoffQueue, Outbox } from '../../integrations';
import type { Logger } from '../logger';

/** Channels we name in labels; anything else is "other" so a client cannot grow the label set. */
const knownChannels = new Set(['msteams', 'directline', 'webchat', 'emulator', 'test']);
export const channelLabel = (channelId: string): string => (knownChannels.has(channelId) ? channelId : 'other');

export interface MetricSources {
  outbox: Outbox;
  handoffs: HandoffQueue;
  logger: Logger;
  now?: () => number;
  /** How current the content pack is (server/packReview.ts), read on scrape. */
  packCurrency?: () => { bankHolidaysShort: boolean };
  /** Whether this instance saw the store reset (server/storeGuard.ts), read on scrape. */
  storeReset?: () => boolean;
}

/**
 * One registry per service instance (not prom-client's global default), so two instances in one test
 * process do not share counters. Labels are closed sets (channel, outcome, result, urgency): never an
 * id, a name or free text, because this endpoint is scraped into systems outside our data boundary.
 */
export function createServiceMetrics({ outbox, handoffs, logger, now = Date.now, packCurrency, storeReset }: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const turns = new Counter({ name: 'sg_turns_total', help: 'Conversation turns by channel and outcome', labelNames: ['channel', 'outcome'] as const, registers: [registry] });
  const turnSeconds = new Histogram({
    name: 'sg_turn_duration_seconds',
    help: 'Time to load, run and save one turn',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const deliveries = new Counter({ name: 'sg_outbox_delivery_attempts_total', help: 'MASH delivery attempts by result', labelNames: ['result'] as const, registers: [registry] });
  // Gauges read on scrape: the outbox and the handoff queue are shared by every instance, so each reports the whole.
  new Gauge({
    name: 'sg_outbox_pending',
    help: 'Outbox entries not yet delivered or parked',
    registers: [registry],
    async collect() {
      const pending = await readPending();
      this.set(pending.length);
    },
  });
  new Gauge({
    name: 'sg_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox entry (0 when empty)',
    registers: [registry],
    async collect() {
      const pending = await readPending();
      const oldest = pending.reduce((min, r) => Math.min(min, r.enqueuedAt), Infinity);
      this.set(Number.isFinite(oldest) ? Math.max(0, (now() - oldest) / 1000) : 0);
    },
  });
  // Unreadable outbox entries moved aside (`outbox:replay --list` names them): alert on anything above 0.
  new Gauge({
    name: 'sg_outbox_quarantined',
    help: 'Outbox entries that could not be read and were moved to quarantine',
    registers: [registry],
    async collect() {
      try {
        this.set((await outbox.quarantined()).length);
      } catch (err) {
        readErrors.inc();
        logger.warn({ err }, 'metrics: outbox quarantine not readable');
      }
    },
  });
  new Gauge({
    name: 'sg_handoffs_open',
    help: 'Open (unclaimed) coordinator handoffs by urgency',
    labelNames: ['urgency'] as const,
    registers: [registry],
    async collect() {
      const counts: Record<string, number> = { immediate: 0, 'same-day': 0, routine: 0 };
      try {
        for (const h of await handoffs.triaged()) if (h.status === 'open') counts[h.urgency]++;
      } catch (err) {
        logger.warn({ err }, 'metrics: handoff queue not readable');
      }
      for (const [urgency, n] of Object.entries(counts)) this.set({ urgency }, n);
    },
  });
  // 1 while the bank-holiday table does not cover today + 400 days: the service keeps running and shows
  // "call either", but someone must add next year's dates. Alert on it; it is 0 for a pack with no table to keep.
  new Gauge({
    name: 'sg_bank_holidays_expiring',
    help: 'Bank-holiday table short of today + 400 days (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(packCurrency?.().bankHolidaysShort ? 1 : 0);
    },
  });
  // 1 once this instance saw the deployment marker vanish or change (issue 18 item 2): page someone.
  new Gauge({
    name: 'sg_store_reset',
    help: 'The store was reset while or before this instance ran (1) or not (0); latched until restart',
    registers: [registry],
    collect() {
      this.set(storeReset?.() ? 1 : 0);
    },
  });
  const unreadable = new Counter({
    name: 'sg_conversations_unreadable_total',
    help: 'Stored conversations that could not be read and restarted with the apology',
    registers: [registry],
  });
  const readErrors = new Counter({
    name: 'sg_outbox_read_errors_total',
    help: 'Scrapes that could not read the outbox (the gauges then keep their last value)',
    registers: [registry],
  });
  // A read error keeps the last value: reporting 0 pending while the outbox cannot be read hides a backlog.
  let lastPending: Awaited<ReturnType<Outbox['pending']>> = [];
  async function readPending() {
    try {
      lastPending = await outbox.pending();
    } catch (err) {
      readErrors.inc();
      logger.warn({ err }, 'metrics: outbox not readable');
    }
    return lastPending;
  }

  return {
    registry,
    /** Times `run` and counts it as ok or error; the caller's result or error passes through unchanged. */
    async timeTurn<T>(channelId: string, run: () => Promise<T>): Promise<T> {
      const channel = channelLabel(channelId);
      const end = turnSeconds.startTimer({ channel });
      try {
        const result = await run();
        turns.inc({ channel, outcome: 'ok' });
        return result;
      } catch (error) {
        turns.inc({ channel, outcome: 'error' });
        throw error;
      } finally {
        end();
      }
    },
    conversationUnreadable(): void {
      unreadable.inc();
    },
    deliveryAttempt(result: 'delivered' | 'retry' | 'parked'): void {
      deliveries.inc({ result });
    },
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
