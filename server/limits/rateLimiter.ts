/**
 * A sliding-window limit per key, in memory: enough to stop one runaway client (a stuck retry loop, a
 * script) from flooding the bot and the store. Each instance counts on its own; behind N instances a
 * client may get up to N times the limit, which is still bounded.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; now: () => number; maxKeys?: number }) {
  const hits = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;

  /** Forgets keys with no hit inside the window, so the map stays small without a timer. */
  function sweep(now: number): void {
    for (const [key, times] of hits) if (times[times.length - 1] <= now - options.windowMs) hits.delete(key);
  }

  /** Records a hit; refuses it (with how long to wait) when the key already used its allowance. */
  return function take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = options.now();
    if (hits.size > maxKeys) sweep(now);
    const recent = (hits.get(key) ?? []).filter((t) => t > now - options.windowMs);
    if (recent.length >= options.limit) {
      hits.set(key, recent);
      return { ok: false, retryAfterMs: recent[0] + options.windowMs - now };
    }
    recent.push(now);
    hits.set(key, recent);
    return { ok: true };
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
