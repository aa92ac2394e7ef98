import { writeFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';

/**
 * Preloaded into the service for the heap-per-turn figure only (`node --require`). The first SIGUSR2
 * starts counting, the second writes to BENCH_HEAP_FILE the bytes allocated on the JS heap in between and
 * the garbage collections: a figure that does not depend on how busy the machine is. Allocated bytes are
 * what each collection found in use before it ran less what the previous one left, plus the growth since
 * the last: V8 counts no allocation total of its own that Node exposes.
 */
let profiler: GCProfiler | undefined;
let usedAtStart = 0;
process.on('SIGUSR2', () => {
  if (!profiler) {
    profiler = new GCProfiler();
    usedAtStart = getHeapStatistics().used_heap_size;
    profiler.start();
    return;
  }
  const result = profiler.stop();
  profiler = undefined;
  let allocated = 0;
  let after = usedAtStart;
  for (const gc of result?.statistics ?? []) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - after);
    after = gc.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += Math.max(0, getHeapStatistics().used_heap_size - after);
  const gcs = result?.statistics.length ?? 0;
  const gcMs = (result?.statistics ?? []).reduce((sum, gc) => sum + gc.cost, 0) / 1000;
  writeFileSync(process.env.BENCH_HEAP_FILE as string, JSON.stringify({ allocated, gcs, gcMs }));
});
