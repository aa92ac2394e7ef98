import { Writable } from 'node:stream';
import { fillCallTokens, loadDefaultPack, type ContentPack } from '../flows';
import type { HandoffQueue, Outbox } from '../integrations';
import { createLogger } from './logger';
import { createServiceMetrics } from './metrics';
import { assertPackSignedOff, createPackCurrencyMonitor } from './packReview';

const pack = loadDefaultPack();
/** The shipped pack with its bank-holiday table cut to end with 2026, as if nobody added the next years. */
const shortPack: ContentPack = { ...pack, bankHolidays: Object.fromEntries(Object.entries(pack.bankHolidays ?? {}).filter(([d]) => d < '2027-01-01')) };

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('production runs only a signed-off pack', () => {
  it('refuses to start in production while reviewedBy is empty, with one line that says how to sign off', () => {
    expect(() => assertPackSignedOff({ ...pack, reviewedBy: '' }, 'production')).toThrow(
      /^SG-CONTENT-INVALID: pack gloucestershire@[\d.]+ has an empty reviewedBy: .*--sign-off "Name, role"\)$/,
    );
    expect(() => assertPackSignedOff({ ...pack, reviewedBy: '  ' }, 'production')).toThrow(/empty reviewedBy/);
  });

  it('starts in production once a lead has signed it off, and always outside production', () => {
    expect(() => assertPackSignedOff({ ...pack, reviewedBy: 'A. Lead, GSCP safeguarding lead' }, 'production')).not.toThrow();
    expect(() => assertPackSignedOff({ ...pack, reviewedBy: '' }, 'development')).not.toThrow();
  });
});

describe('a short bank-holiday table never stops the service', () => {
  it('logs one error (pack facts only), keeps answering, and shows "call either" on a date past the table', async () => {
    const { logger, lines } = capturedLogger();
    const monitor = createPackCurrencyMonitor({ pack: { ...shortPack, reviewedOn: '2026-12-01' }, logger, now: () => new Date('2026-12-04T10:00:00Z') });
    expect(monitor.check().bankHolidaysShort).toBe(true);
    monitor.check();
    await flush();
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pack: `gloucestershire@${pack.version}`, bankHolidaysUntil: '2026-12-31' });
    expect(errors[0].msg).toMatch(/bank-holiday table does not cover today plus 400 days/);
    expect(fillCallTokens(shortPack, '{{call-now}}', new Date('2027-01-05T11:00:00Z'))).toMatch(/01452 426565, or the Emergency Duty Team on 01452 614194.*call either/);
  });

  it('sets sg_bank_holidays_expiring to 1 when short and 0 with the shipped table', async () => {
    const stores = { outbox: { list: async () => [] } as unknown as Outbox, handoffs: { triaged: async () => [] } as unknown as HandoffQueue };
    const { logger } = capturedLogger();
    const gauge = async (p: ContentPack) => {
      const monitor = createPackCurrencyMonitor({ pack: p, logger, now: () => new Date('2026-12-04T10:00:00Z') });
      const metrics = createServiceMetrics({ ...stores, logger, packCurrency: monitor.check });
      return (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith('sg_bank_holidays_expiring '));
    };
    expect(await gauge(shortPack)).toBe('sg_bank_holidays_expiring 1');
    expect(await gauge(pack)).toBe('sg_bank_holidays_expiring 0');
  });
});

describe('a review older than 12 months never stops the service', () => {
  it('logs one error and the conversation shows "guidance due for review"', async () => {
    const { logger, lines } = capturedLogger();
    const stale = { ...pack, reviewedOn: '2025-11-30' };
    const monitor = createPackCurrencyMonitor({ pack: stale, logger, now: () => new Date('2026-12-04T10:00:00Z') });
    expect(monitor.check().reviewDue).toBe(true);
    await flush();
    expect(lines.filter((l) => l.level === 50 && /due for review/.test(String(l.msg)))).toHaveLength(1);
  });

  it('is quiet for a review within 12 months', async () => {
    const { logger, lines } = capturedLogger();
    const monitor = createPackCurrencyMonitor({ pack: { ...pack, reviewedOn: '2025-12-04' }, logger, now: () => new Date('2026-12-04T10:00:00Z') });
    expect(monitor.check().reviewDue).toBe(false);
    await flush();
    expect(lines.filter((l) => l.level === 50)).toEqual([]);
  });
});
