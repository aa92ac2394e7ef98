import { loadDefaultPack } from './content/loadPack';
import type { ConversationRecord } from './record';
import type { TurnInput } from './protocol';
import { createRuntime } from './runtime';

const runtime = createRuntime({ pack: loadDefaultPack() });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

function conversation() {
  let record: ConversationRecord | undefined;
  const turn = (input: TurnInput) => {
    const result = runtime.runTurn(record, input, meta);
    record = result.record;
    return result;
  };
  turn({ kind: 'start' });
  return { turn, record: () => record! };
}

const lastTurnId = (messages: Array<{ value?: Record<string, unknown> }>) => messages[messages.length - 1].value?.turnId;

describe('how the runtime reports a card submit', () => {
  it('reports an accepted answer with the question as its card showed it', () => {
    const c = conversation();
    const { turn } = c.record();
    const { submitted, messages } = c.turn({ kind: 'submit', questionId: 'menu', turnId: turn, answer: 'advice' });
    expect(submitted).toMatchObject({ status: 'accepted', answer: 'advice', question: { value: { type: 'safeguarding.question', id: 'menu', turnId: turn } } });
    expect(lastTurnId(messages)).toBe(turn + 1);
  });

  it('reports a stale card and keeps the turn id, so the card that is live still answers', () => {
    const c = conversation();
    const { turn } = c.record();
    const stale = c.turn({ kind: 'submit', questionId: 'menu', turnId: turn - 1, answer: 'advice' });
    expect(stale.submitted).toEqual({ status: 'stale' });
    expect(stale.messages[0].text).toMatch(/moved on/);
    expect(c.record().turn).toBe(turn);
    expect(lastTurnId(stale.messages)).toBe(turn);
    expect(c.turn({ kind: 'submit', questionId: 'menu', turnId: turn, answer: 'advice' }).submitted?.status).toBe('accepted');
  });

  it('reports an answer the question cannot take, and re-asks under a new turn id', () => {
    const c = conversation();
    const { turn } = c.record();
    const { submitted, messages } = c.turn({ kind: 'submit', questionId: 'menu', turnId: turn, answer: 'nonsense' });
    expect(submitted).toMatchObject({ status: 'invalid', question: { value: { id: 'menu' } } });
    expect(submitted).not.toHaveProperty('answer');
    expect(lastTurnId(messages)).toBe(turn + 1);
  });

  it('reports nothing for typed text', () => {
    expect(conversation().turn({ kind: 'text', text: 'help' })).not.toHaveProperty('submitted');
  });
});
