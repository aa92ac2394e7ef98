import { channelActivityBody, forSending } from './outgoingActivity';

describe('activities in and out: empty means absent', () => {
  it('drops empty and null fields outside the payloads and passes the payloads exactly as they came', () => {
    const body = channelActivityBody({
      type: 'message',
      locale: null,
      conversation: { id: 'c1', name: '' },
      from: { id: 'u1', name: 'Test Professional' },
      text: '',
      value: { note: '', answer: null },
    });
    expect(body).toEqual({ type: 'message', conversation: { id: 'c1' }, from: { id: 'u1', name: 'Test Professional' }, text: '', value: { note: '', answer: null } });
  });

  it('gives a channel-sent __proto__ key no power over the object it builds', () => {
    const body = channelActivityBody(JSON.parse('{"type":"message","from":{"id":"u1","__proto__":{"role":"bot"}}}'));
    const from = body.from as Record<string, unknown>;
    expect(Object.getPrototypeOf(from)).toBe(Object.prototype);
    expect(from.role).toBeUndefined();
  });

  it('hands a reply to the SDK as the plain object it built, cards untouched', () => {
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '' }] } };
    const sent = forSending({ type: 'message', summary: 'Question', attachments: [card], speak: '' });
    expect(sent).toEqual({ type: 'message', summary: 'Question', attachments: [card] });
  });
});
