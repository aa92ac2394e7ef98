import { createRuntime, loadDefaultPack, type ConversationRecord, type OutgoingMessage, type TurnInput } from '../../flows';
import { indicatorAnswers } from './indicatorAnswers';

export const pack = loadDefaultPack();
const runtime = createRuntime({ pack });

/** Monday 2 March 2026, 10:00 London: advice lines that keep office hours are open. */
export const mondayMorning = new Date('2026-03-02T10:00:00Z');

/** A conversation with the real runtime and pack, no store: what the bot layer would be handed. */
export function runtimeConversation(now = mondayMorning) {
  let record: ConversationRecord | undefined;
  const turn = (input: TurnInput) => {
    const result = runtime.runTurn(record, input, { channelId: 'msteams', userId: 'u1', conversationKey: 'test-key', now });
    record = result.record;
    return result;
  };
  const started = turn({ kind: 'start' });
  return {
    started,
    turn,
    say: (text: string) => turn({ kind: 'text', text }),
    get record(): ConversationRecord {
      if (!record) throw new Error('no turn yet');
      return record;
    },
  };
}

/** The last message of a turn: the runtime always ends on the question it waits for. */
export function lastOf(messages: OutgoingMessage[]): OutgoingMessage {
  const last = messages[messages.length - 1];
  if (!last) throw new Error('no messages');
  return last;
}

/**
 * The category-3 screening of test/screening.protocol.test.ts, as typed answers: the triage first (danger,
 * who, age, the override facts), then the screening's own questions.
 */
export const categoryThreeAnswers = [
  '2',
  'No',
  '1',
  '14 years',
  'none',
  'Test Child has an older boyfriend and was picked up in a car by men.',
  '1, 2',
  'yes',
  'no',
  '2',
  ...indicatorAnswers({ 'screen-vulnerabilities': '3, 1' }),
  'no',
];
