import { benchAadObjectIdOf } from '../bench/drivers';
import { percentile, summarise } from '../bench/stats';
import { formatTable } from '../bench/table';
import { soakRows, soakSettings, type SoakResult } from '../bench/soak';

const MiB = 1048576;
function soak(overrides: Partial<SoakResult> = {}): SoakResult {
  return {
    settings: soakSettings(false),
    seconds: 400,
    turns: 40_000,
    errors: 0,
    rss: [0, 25, 50, 75, 100].map((percent, i) => ({ percent, conversations: percent * 200, bytes: [134, 275, 280, 285, 290][i] * MiB })),
    dataDir: { files: 40_002, bytes: 24_000_000, diskBytes: 164_000_000 },
    purge: { conversationFiles: 20_000, expiredAtRestart: 11_000, removed: 11_316, left: 8_684, seconds: 4.2 },
    stopSeconds: 0.3,
    freshStartSeconds: 1.71,
    restartSeconds: 1.84,
    ...overrides,
  };
}
const cellsOf = (table: string, measure: string) =>
  table
    .split('\n')
    .find((l) => l.includes(measure))
    ?.split('|')
    .map((c) => c.trim());

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
    expect(
      percentile(
        [...latencies].sort((a, b) => a - b),
        99,
      ),
    ).toBe(99);
    expect(summarise(latencies, 4)).toEqual({ turns: 100, seconds: 4, turnsPerSecond: 25, p50: 50, p99: 99 });
    expect(summarise([], 1).p99).toBeNaN();
  });

  it('shows the soak: RSS at each quarter, growth from 25 % against 1.2x, disk per conversation, the purge and the restart against 5 s', () => {
    const table = formatTable(soakRows(soak()));
    expect(cellsOf(table, 'RSS at 0 / 25 / 50 / 75 / 100 %')?.[2]).toBe('134 / 275 / 280 / 285 / 290 MiB');
    expect(cellsOf(table, 'RSS growth from 25 % to 100 %')?.slice(2, 5)).toEqual(['1.05x', '<= 1.2x', 'pass']);
    expect(cellsOf(table, 'DATA_DIR per conversation')?.[2]).toBe('8.2 kB on disk (1.2 kB of files)');
    expect(cellsOf(table, 'start-up purge')?.slice(2, 5)).toEqual(['11316 of 20000 removed in 4.2 s (11000 expired)', 'all expired', 'pass']);
    expect(cellsOf(table, 'restart on that DATA_DIR')?.slice(2, 5)).toEqual(['1.84 s (empty: 1.71 s; stop 0.30 s)', '<= 5 s', 'pass']);
    expect(cellsOf(table, '20000 conversations')?.slice(2, 5)).toEqual(['40000 turns, 100.0/s, 0 errors', '0 errors', 'pass']);
  });

  it('marks the soak MISS when memory keeps growing, the restart is slow, expired conversations stay or turns fail', () => {
    const rss = [0, 25, 50, 75, 100].map((percent, i) => ({ percent, conversations: percent * 200, bytes: [134, 200, 230, 250, 260][i] * MiB }));
    const purge = { conversationFiles: 20_000, expiredAtRestart: 11_000, removed: 10_999, left: 9_001, seconds: 4 };
    const table = formatTable(soakRows(soak({ rss, purge, restartSeconds: 5.2, errors: 3 })));
    expect(cellsOf(table, 'RSS growth')?.slice(2, 5)).toEqual(['1.30x', '<= 1.2x', 'MISS']);
    expect(cellsOf(table, 'restart')?.[4]).toBe('MISS');
    expect(cellsOf(table, 'start-up purge')?.[4]).toBe('MISS');
    expect(cellsOf(table, 'conversations (join')?.slice(2, 5)).toEqual(['40000 turns, 100.0/s, 3 errors', '0 errors', 'MISS']);
  });
});

describe('bench Teams users', () => {
  it('gives each personal conversation its own professional, as Teams does, and the same one on every turn', () => {
    const ids = Array.from({ length: 32 }, (_, i) => benchAadObjectIdOf(`bench-open-${i}`));
    expect(new Set(ids).size).toBe(32);
    expect(benchAadObjectIdOf('bench-open-3')).toBe(ids[3]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
