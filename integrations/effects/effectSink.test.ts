import { Writable } from 'node:stream';
import pino from 'pino';
import { conversationRecordSchema, type EffectKind } from '../../flows';
import { createEffectSink, type EffectHandlers } from './effectSink';

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Handlers that note which kind ran each effect, by id. */
function recordingHandlers() {
  const ran: Array<[EffectKind, string]> = [];
  const handlers: EffectHandlers = {
    'audit.append': async ({ effect }) => void ran.push([effect.kind, effect.id]),
    'outbox.enqueue': async ({ effect }) => void ran.push([effect.kind, effect.id]),
    'handoff.open': async ({ effect }) => void ran.push([effect.kind, effect.id]),
    'referral.phone': async ({ effect }) => void ran.push([effect.kind, effect.id]),
    'draft.save': async ({ effect }) => void ran.push([effect.kind, effect.id]),
    'draft.discard': async ({ effect }) => void ran.push([effect.kind, effect.id]),
  };
  return { handlers, ran };
}

// Checked by the compiler, not at run time: a kind without its handler does not build, and an unused
// expect-error fails `npm run typecheck`, so this line fails once the sink stops demanding every kind.
// @ts-expect-error 'referral.phone' has no handler
void ((withoutPhone: Omit<EffectHandlers, 'referral.phone'>) => createEffectSink(withoutPhone, pino({ level: 'silent' })));

const actor = { channelId: 'msteams', userId: 'teacher-1' };

/** A record's pending effects exactly as they are saved today (JSON), one of each kind, read back through the record's schema. */
function savedRecord(pendingEffects: unknown[]) {
  return conversationRecordSchema.parse({
    machineId: 'conversation',
    machineVersion: 'v1',
    snapshot: {},
    trail: [],
    turn: 3,
    contentVersion: '1.0.0',
    startedAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:05:00.000Z',
    pendingEffects,
  });
}

const savedToday = [
  { effect: { kind: 'audit.append', id: 'scr-1', payload: { recordType: 'screening', category: 2, recordedAt: '2026-03-02T10:05:00.000Z' } }, actor },
  {
    effect: {
      kind: 'outbox.enqueue',
      id: 'SG-TEST0000001',
      payload: { kind: 'referral', clientReference: 'SG-TEST0000001', body: { schemaVersion: '1', clientReference: 'SG-TEST0000001' } },
    },
    actor,
    reference: { conversation: { id: 'conv-1' } },
  },
  {
    effect: {
      kind: 'handoff.open',
      id: 'H-1',
      payload: {
        recordType: 'handoff',
        recordedAt: '2026-03-02T10:05:00.000Z',
        handoffId: 'H-1',
        kind: 'talk-to-coordinator',
        urgency: 'routine',
        summary: 'No screening or referral in this conversation yet.',
      },
    },
    actor,
  },
  { effect: { kind: 'referral.phone', id: 'SG-TEST0000002', payload: { clientReference: 'SG-TEST0000002', urgency: 'same-day', category: 3 } }, actor },
];

describe('the effect sink', () => {
  it('runs each saved effect, in order, with the handler of its own kind', async () => {
    const { handlers, ran } = recordingHandlers();
    const { logger, lines } = capturedLogger();
    await createEffectSink(handlers, logger)(savedRecord(savedToday).pendingEffects ?? []);
    expect(ran).toEqual([
      ['audit.append', 'scr-1'],
      ['outbox.enqueue', 'SG-TEST0000001'],
      ['handoff.open', 'H-1'],
      ['referral.phone', 'SG-TEST0000002'],
    ]);
    expect(lines.filter((line) => line.level === 40)).toEqual([]);
  });

  it('skips an effect another version saved (an unknown kind, or a payload not of its kind) with a warning, and runs the rest', async () => {
    const { handlers, ran } = recordingHandlers();
    const { logger, lines } = capturedLogger();
    const record = savedRecord([
      { effect: { kind: 'referral.retired', id: 'OLD-1', payload: { childName: 'Test Child' } }, actor },
      { effect: { kind: 'handoff.open', id: 'H-2', payload: { handoffId: 'H-2', summary: 'Test Child, 01632 960001', urgency: 'whenever' } }, actor },
      savedToday[0],
    ]);
    await createEffectSink(handlers, logger)(record.pendingEffects ?? []);
    expect(ran).toEqual([['audit.append', 'scr-1']]);
    const warnings = lines.filter((line) => line.msg === 'effect skipped: a kind or payload this version cannot run');
    expect(warnings).toMatchObject([
      { kind: 'referral.retired', effect: 'OLD-1' },
      { kind: 'handoff.open', effect: 'H-2', problems: ['effect.payload.urgency: invalid_value'] },
    ]);
    // Paths and codes only: a payload's values may name the child.
    expect(JSON.stringify(lines)).not.toMatch(/Test Child|01632/);
  });
});
