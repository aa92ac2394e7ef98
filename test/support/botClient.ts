import type { FakeConnector } from './fakeConnector';

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
export function questionIn(replies: Array<Record<string, any>>): Record<string, any> {
  const question = [...replies].reverse().find((r) => r.value?.type === 'safeguarding.question');
  if (!question) throw new Error(`no question among ${replies.length} replies: ${JSON.stringify(replies.map((r) => r.text))}`);
  return question.value;
}
