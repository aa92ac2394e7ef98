import { benchAadObjectIdOf } from '../bench/drivers';
import { percentile, summarise } from '../bench/stats';
import { formatTable } from '../bench/table';
import { soakRows, soakSettings, type SoakResult } from '../bench/soak';
import { turnTableRows, turnTableSettings, type TurnTable } from '../bench/turnTable';
import { groupReplies, repliesFor, repliesRecordingSchema, withoutSdkFields } from '../bench/serviceReplies';

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

const summary = (turnsPerSecond: number, p50 = 10, p99 = 30) => ({ turns: turnsPerSecond * 20, seconds: 20, turnsPerSecond, p50, p99 });
function turnTable(overrides: Partial<TurnTable> = {}): TurnTable {
  const service = (closed: number) => ({ closed: summary(closed, 37, 90), open: summary(100, 9, 33) });
  return { cores: 2, floor: summary(1270, 12, 31), peer: summary(936), redis: service(420), embedded: service(205), ...overrides };
}
const repliesFloorRow = "Floor sending this service's replies (same cards, same count, no state), closed loop";

describe("issue 23's turn table: the floor sending this service's replies", () => {
  it('shows the replies floor after the peer and the service against it, with no target, keeping every other row as it was', () => {
    const settings = turnTableSettings(false);
    const withIt = turnTableRows(turnTable({ repliesFloor: summary(1030, 14, 40) }), settings);
    const table = formatTable(withIt);
    expect(cellsOf(table, repliesFloorRow)?.slice(2, 5)).toEqual(['1030.0 (14.0 / 40.0)', '', '']);
    expect(cellsOf(table, 'Redis / floor sending the same replies')?.slice(2, 5)).toEqual(['0.41x', '', '']);
    expect(cellsOf(table, 'Embedded / floor sending the same replies')?.slice(2, 5)).toEqual(['0.20x', '', '']);
    const measures = withIt.map((r) => r.measure);
    expect(measures.indexOf(`${repliesFloorRow} (turns/s, p50 / p99 ms)`)).toBe(
      measures.indexOf('Peer: Agents SDK dialogs on MemoryStorage, closed loop (turns/s, p50 / p99 ms)') + 1,
    );
    // The older ratios keep their wording, values and targets, and a search for them still finds them first.
    expect(cellsOf(table, 'Redis / floor')?.slice(1, 5)).toEqual(['Redis / floor (16 Teams conversations)', '0.33x', '>= 0.6x', 'MISS']);
    const added = new Set([`${repliesFloorRow} (turns/s, p50 / p99 ms)`, 'Redis / floor sending the same replies', 'Embedded / floor sending the same replies']);
    expect(withIt.filter((r) => !added.has(r.measure))).toEqual(turnTableRows(turnTable(), settings));
    expect(withIt).toHaveLength(turnTableRows(turnTable(), settings).length + 3);
  });

  it('shows the floor saving the record after the replies floor, its ratio to the floor, and Redis against it, with no targets', () => {
    const settings = turnTableSettings(false);
    const rows = turnTableRows(turnTable({ repliesFloor: summary(1030, 14, 40), durableFloor: summary(760, 19, 45) }), settings);
    const table = formatTable(rows);
    const durableRow = "The same, saving this service's encrypted record per activity (Redis compare-and-set, no dialogue), closed loop";
    expect(cellsOf(table, durableRow)?.slice(2, 5)).toEqual(['760.0 (19.0 / 45.0)', '', '']);
    expect(cellsOf(table, 'Floor saving the same record / floor')?.slice(2, 5)).toEqual(['0.60x', '', '']);
    expect(cellsOf(table, 'Redis / floor saving the same record')?.slice(2, 5)).toEqual(['0.55x', '', '']);
    expect(table).not.toContain('Embedded / floor saving');
    const measures = rows.map((r) => r.measure);
    expect(measures.indexOf(`${durableRow} (turns/s, p50 / p99 ms)`)).toBe(measures.indexOf(`${repliesFloorRow} (turns/s, p50 / p99 ms)`) + 1);
    expect(rows.filter((r) => r.pass !== undefined).map((r) => r.measure)).toEqual(
      turnTableRows(turnTable(), settings)
        .filter((r) => r.pass !== undefined)
        .map((r) => r.measure),
    );
  });

  it('leaves the rows out for results that did not measure it', () => {
    const table = formatTable(turnTableRows(turnTable(), turnTableSettings(false)));
    expect(table).not.toContain('Floor sending');
    expect(table).not.toContain('same replies');
    expect(table).not.toContain('same record');
    expect(cellsOf(table, 'Peer / floor')?.[2]).toBe('0.74x');
  });

  it("records the service's replies per activity answered, however they arrive, leaving out typing and what answers nothing posted", () => {
    const posted = [
      { id: 'act-1', type: 'conversationUpdate' },
      { id: 'act-2', type: 'message' },
      { id: 'act-3', type: 'message' },
      { id: 'act-4', type: 'message' },
    ];
    const reply = (replyToId: string | undefined, text: string, type = 'message') => ({ type, text, replyToId, conversation: { id: 'c' } });
    const bodies = [
      reply('act-1', 'welcome'),
      reply('act-2', 'question 1'),
      reply('act-3', '', 'typing'),
      reply('act-1', 'menu card'),
      reply(undefined, 'proactive notice'),
      reply('act-3', 'result'),
      reply('act-3', 'what next'),
      reply('act-99', 'another conversation'),
    ];
    const { recording, leftOut } = groupReplies(posted, bodies);
    const texts = (as: Array<Record<string, unknown>>) => as.map((a) => a.text);
    expect(texts(recording.welcome)).toEqual(['welcome', 'menu card']);
    expect(recording.turns.map(texts)).toEqual([['question 1'], ['result', 'what next'], []]);
    expect(leftOut).toBe(3);
    expect(recording.welcome[0]).toEqual(bodies[0]); // kept whole: the bot strips what the SDK fills
    expect(repliesRecordingSchema.parse(JSON.parse(JSON.stringify(recording)))).toEqual(recording);
    expect(() => groupReplies(posted, [reply(undefined, 'proactive'), reply('act-7', 'elsewhere')])).toThrow(/none of the 2 bodies/);
    expect(() => groupReplies(posted, [{ text: 'no type', replyToId: 'act-2' }])).toThrow();
    expect(() => repliesRecordingSchema.parse({ welcome: [], turns: [] })).toThrow();
  });

  it('sends each recorded reply without the fields the SDK fills from the activity it answers, keeping everything the service chose', () => {
    const chosen = {
      type: 'message',
      text: 'Is the child in immediate danger?',
      textFormat: 'plain',
      summary: 'Question 1',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }],
      value: { questionId: 'danger' },
      suggestedActions: { actions: [{ type: 'imBack', title: 'yes', value: 'yes' }] },
      entities: [{ type: 'https://schema.org/Message' }],
      channelData: { notification: { alert: true } },
      inputHint: 'expectingInput',
    };
    const recorded = {
      ...chosen,
      serviceUrl: 'http://127.0.0.1:1',
      conversation: { id: 'recorded' },
      from: { id: '28:bot' },
      recipient: { id: '29:someone' },
      replyToId: 'act-2',
      channelId: 'msteams',
      id: 'reply-1',
      timestamp: '2026-12-06T20:00:00.000Z',
      locale: 'en-GB',
    };
    expect(withoutSdkFields(recorded)).toEqual(chosen);
    expect(recorded.conversation).toEqual({ id: 'recorded' }); // the recording itself is not changed
  });

  it('answers a conversationUpdate with the welcome and the k-th message with the k-th turn, per conversation, starting over after the last', () => {
    const recording = { welcome: ['hello', 'menu'], turns: [['q1'], ['q2'], ['result', 'next']] };
    const steps = new Map<string, number>();
    expect(repliesFor(recording, steps, 'conversationUpdate', 'a')).toEqual(['hello', 'menu']);
    expect(repliesFor(recording, steps, 'message', 'a')).toEqual(['q1']);
    expect(repliesFor(recording, steps, 'message', 'b')).toEqual(['q1']); // another conversation has its own step
    expect(repliesFor(recording, steps, 'invoke', 'a')).toEqual([]); // neither answered nor counted
    expect(repliesFor(recording, steps, 'message', 'a')).toEqual(['q2']);
    expect(repliesFor(recording, steps, 'message', 'a')).toEqual(['result', 'next']);
    expect(steps.has('a')).toBe(false); // finished conversations leave nothing behind
    expect(repliesFor(recording, steps, 'message', 'a')).toEqual(['q1']);
    expect(repliesFor(recording, steps, 'conversationUpdate', 'b')).toEqual(['hello', 'menu']);
    expect(steps.has('b')).toBe(false); // a new conversationUpdate starts the conversation again
    expect(repliesFor(recording, steps, 'message', 'b')).toEqual(['q1']);
  });
});
