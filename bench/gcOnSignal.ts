import { writeFileSync } from 'node:fs';

/**
 * Preloaded into the service for the memory measurement only (`node --expose-gc --require`): on SIGUSR2
 * it collects garbage twice and writes `process.memoryUsage()` to BENCH_MEMORY_FILE, so the bench reads
 * what the process really retains rather than garbage V8 has not collected yet.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  writeFileSync(process.env.BENCH_MEMORY_FILE as string, JSON.stringify(process.memoryUsage()));
});
