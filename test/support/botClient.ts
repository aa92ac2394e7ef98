import { z } from 'zod';
import type { SentActivity } from './activities';
import type { FakeConnector } from './fakeConnector';
import { parsed } from './json';

let sequence = 0;

/** A professional talking to the bot through /api/messages, the way a channel does. */
export function botClient(serviceUrl: () => string, connector: FakeConnector, conversationId: string, user = { id: 'user-1', name: 'Test Professional' }) {
  const post = async (activity: Record<string, unknown>) => {
    const before = connector.forConversation(conversationId).length;
    const res = await fetch(`${serviceUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `act-${++sequence}`,
        channelId: 'emulator',
        serviceUrl: connector.url,
        from: user,
        recipient: { id: 'bot', name: 'Safeguarding bot' },
        conversation: { id: conversationId },
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    return { status: res.status, replies: connector.forConversation(conversationId).slice(before) };
  };
  return {
    post,
    join: () => post({ type: 'conversationUpdate', membersAdded: [user, { id: 'bot' }] }),
    say: (text: string) => post({ type: 'message', text }),
    submit: (value: Record<string, unknown>) => post({ type: 'message', value }),
  };
}

/** The question a batch of replies ends on (the conversation protocol puts it last). */
export function questionIn(replies: SentActivity[]): QuestionValue {
  const question = [...replies].reverse().find((r) => r.value?.type === 'safeguarding.question');
  if (!question) throw new Error(`no question among ${replies.length} replies: ${JSON.stringify(replies.map((r) => r.text))}`);
  return parsed(question.value, questionValue, 'the question');
}

/** The protocol's question value (flows/protocol.ts `QuestionValue`), as sent. */
const questionValue = z.looseObject({
  type: z.literal('safeguarding.question'),
  id: z.string(),
  expects: z.string(),
  turnId: z.number(),
  choices: z.array(z.looseObject({ value: z.string(), title: z.string() })).optional(),
});
type QuestionValue = z.infer<typeof questionValue>;
