import fc from 'fast-check';
import { fullJitterDelayMs, nextRetry, type RetryPolicy } from './retrySchedule';

const hour = 3_600_000;
const policyWith = (random: () => number): RetryPolicy => ({ budgetMs: 24 * hour, baseDelayMs: 2000, maxDelayMs: 15 * 60_000, random });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('fullJitterDelayMs', () => {
  it('is uniform below a ceiling that doubles each attempt up to the maximum', () => {
    expect(
      fullJitterDelayMs(
        1,
        policyWith(() => 0.999999),
      ),
    ).toBe(1999);
    expect(
      fullJitterDelayMs(
        3,
        policyWith(() => 0.5),
      ),
    ).toBe(4000);
    expect(
      fullJitterDelayMs(
        30,
        policyWith(() => 0.5),
      ),
    ).toBe(450_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), unit, (attempt, r) => {
        const delay = fullJitterDelayMs(
          attempt,
          policyWith(() => r),
        );
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(15 * 60_000, 2000 * 2 ** (attempt - 1)));
      }),
    );
  });
});

describe('nextRetry', () => {
  const enqueuedAt = 1_000_000;

  it('never retries before Retry-After, nor after the end of the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 24 * hour - 1 }),
        fc.option(fc.integer({ min: 0, max: 48 * hour })),
        unit,
        (attempt, elapsed, retryAfter, r) => {
          const now = enqueuedAt + elapsed;
          const decision = nextRetry(
            attempt,
            enqueuedAt,
            now,
            retryAfter ?? undefined,
            policyWith(() => r),
          );
          if ('giveUp' in decision) throw new Error('gave up inside the budget');
          expect(decision.retryAt).toBeGreaterThanOrEqual(now);
          expect(decision.retryAt).toBeLessThanOrEqual(enqueuedAt + 24 * hour);
          if (retryAfter !== null && now + retryAfter <= enqueuedAt + 24 * hour) expect(decision.retryAt).toBeGreaterThanOrEqual(now + retryAfter);
        },
      ),
    );
  });

  it('gives up once the budget is spent, and honours a shorter budget', () => {
    expect(
      nextRetry(
        5,
        enqueuedAt,
        enqueuedAt + 24 * hour,
        undefined,
        policyWith(() => 0),
      ),
    ).toEqual({ giveUp: true });
    const oneHour = { ...policyWith(() => 0), budgetMs: hour };
    expect(nextRetry(5, enqueuedAt, enqueuedAt + hour - 1, 10 * hour, oneHour)).toEqual({ retryAt: enqueuedAt + hour });
    expect(nextRetry(6, enqueuedAt, enqueuedAt + hour, undefined, oneHour)).toEqual({ giveUp: true });
  });
});
