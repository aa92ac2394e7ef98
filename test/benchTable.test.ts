import { percentile, summarise } from '../bench/stats';
import { formatTable } from '../bench/table';

describe('benchmark result table', () => {
  it('shows each measure with its target and pass or MISS, in aligned columns', () => {
    const table = formatTable([
      { measure: 'Direct Line p99', value: '61.0 ms', target: '<= 50 ms', pass: false },
      { measure: 'Redis bytes per idle conversation', value: '2075 B', target: '<= 4096 B', pass: true },
      { measure: 'Floor turns/s', value: '157.8', target: '' },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\| Measure +\| Value +\| Target +\| Result \|$/);
    expect(lines[2]).toMatch(/Direct Line p99 .*\| 61\.0 ms .*\| <= 50 ms .*\| MISS +\|$/);
    expect(lines[3]).toMatch(/\| pass +\|$/);
    expect(lines[4]).toMatch(/\|  +\|$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('summarises latencies into nearest-rank percentiles and a rate', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile([...latencies].sort((a, b) => a - b), 99)).toBe(99);
    expect(summarise(latencies, 4)).toEqual({ turns: 100, seconds: 4, turnsPerSecond: 25, p50: 50, p99: 99 });
    expect(summarise([], 1).p99).toBeNaN();
  });
});
