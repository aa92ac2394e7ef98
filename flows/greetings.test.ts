import { normalise } from './answers';
import { gloucestershireParts } from './content/gloucestershire';
import { parseContentPack } from './content/loadPack';
import { answerUntil, conversation, pack, triageChild } from './machines/referral/referralTestKit';
import { createRuntime } from './runtime';
import type { OutgoingMessage } from './protocol';

const runtime = createRuntime({ pack });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };
const questionOf = (messages: OutgoingMessage[]) => messages[messages.length - 1].value as { id: string };

describe('greetings and thanks', () => {
  it.each([['hello'], ['Hi!'], ['hiya'], ['Good morning'], ['good afternoon'], ['Good evening.'], ['hey']])('"%s" at the menu gets a greeting and the menu', (text) => {
    const c = conversation();
    const { messages } = c.say(text);
    expect(messages[0].text).toMatch(/^Hello\. Here is what I can help with/);
    expect(messages.map((m) => m.text).join('\n')).not.toMatch(/did not catch that/);
    expect(questionOf(messages).id).toBe('menu');
    expect(c.record.trail).toEqual([]);
  });

  it.each([['thanks'], ['Thank you'], ['thank you very much!'], ['cheers']])('"%s" at the menu gets "you\'re welcome" and the menu', (text) => {
    const { messages } = conversation().say(text);
    expect(messages[0].text).toMatch(/^You're welcome\. Is there anything else/);
    expect(questionOf(messages).id).toBe('menu');
  });

  it.each([['hello'], ['thanks']])('"%s" as the very first message gets the welcome, with its 999 line, and the menu', (text) => {
    const { messages } = runtime.runTurn(undefined, { kind: 'text', text }, meta);
    expect(messages[0].text).toMatch(/I help professionals who are worried about a child/);
    expect(messages[0].text).toMatch(/call 999 now/);
    expect(messages.map((m) => m.text).join('\n')).not.toMatch(/did not catch that/);
    expect(questionOf(messages).id).toBe('menu');
  });

  it('mid-question, a greeting is not an answer to the safety question: the same question is asked again', () => {
    const c = conversation();
    c.say('Make a referral');
    expect(c.question().id).toBe('screen-immediate-danger');
    const trail = c.record.trail.length;
    const { messages } = c.say('Hello');
    expect(messages[0].text).toMatch(/part-way through, so I have not taken that as an answer/);
    expect(questionOf(messages).id).toBe('screen-immediate-danger');
    expect(c.record.trail).toHaveLength(trail);
  });

  it('mid-question, "thanks" is not taken as the narrative a text question would accept', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    expect(answerUntil(c, { ...triageChild('14'), 'concern-kind': 'exploitation', 'screen-about': 'child', 'screen-age': '14' })).toBe('screen-narrative');
    const { messages } = c.say('Thank you');
    expect(messages[0].text).toMatch(/^You're welcome\. We are part-way through/);
    expect(questionOf(messages).id).toBe('screen-narrative');
    expect(c.record.trail.some((e) => e.type === 'ANSWER' && e.questionId === 'screen-narrative')).toBe(false);
  });

  it('the emergency advice keeps priority over a greeting', () => {
    const { messages } = conversation().say('hi 999');
    expect(messages[0].text).toMatch(/call 999 now/);
    expect(messages[0].value).toMatchObject({ type: 'safeguarding.handoff', kind: 'emergency' });
    expect(messages.map((m) => m.text).join('\n')).not.toMatch(/Here is what I can help with/);
  });

  it('a greeting that opens a longer message is the concern, not a greeting', () => {
    const { messages } = conversation().say('Hi, do I need consent to tell the school?');
    expect(messages[0].text).toMatch(/Should I share this/);
  });

  it('no greeting phrase is also the words of a choice, so a greeting never hides an answer', () => {
    const phrases = new Set(pack.greetings.flatMap((g) => g.phrases.map(normalise)));
    const clashes = Object.entries(pack.questions).flatMap(([id, q]) =>
      (q.choices ?? []).flatMap((choice) => [choice.title, ...choice.aliases].filter((words) => phrases.has(normalise(words))).map((words) => `${id}: ${words}`)),
    );
    expect(clashes).toEqual([]);
  });

  it('a pack whose greeting names a message it does not have is refused at load', () => {
    const wave = { file: 'extra.json', json: { greetings: [{ id: 'wave', phrases: ['wave'], reply: 'greeting-wave', midQuestion: 'greeting-hello-mid' }] } };
    expect(() => parseContentPack([...gloucestershireParts, wave])).toThrow(/greetings\.wave: message "greeting-wave" is not in the pack/);
  });
});
