/** Latency samples (ms) summarised the way the table shows them. */
export interface Summary {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function summarise(latencies: number[], seconds: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    turns: sorted.length,
    seconds,
    turnsPerSecond: seconds > 0 ? sorted.length / seconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Runs `workers` loops of `work` until `durationMs` has passed; returns per-turn latencies. */
export async function runLoad(
  workers: number,
  durationMs: number,
  work: (worker: number, record: (ms: number) => void, stop: () => boolean) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const stop = () => performance.now() - started >= durationMs;
  await Promise.all(Array.from({ length: workers }, (_, i) => work(i, (ms) => latencies.push(ms), stop)));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
