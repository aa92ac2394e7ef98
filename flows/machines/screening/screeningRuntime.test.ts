import { loadDefaultPack } from '../../content/loadPack';
import type { Effect, OutgoingMessage, TurnInput } from '../../protocol';
import type { ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';
import { indicatorAnswers } from './screeningTestKit';

const pack = loadDefaultPack();
const runtime = createRuntime({ pack });

/** One professional's conversation; each turn is a minute after the last, as the bot layer would stamp it. */
function conversation() {
  let record: ConversationRecord | undefined;
  let minute = 0;
  const effects: Effect[] = [];
  const messages: OutgoingMessage[] = [];
  const turn = (input: TurnInput) => {
    const now = new Date(Date.UTC(2026, 2, 2, 10, minute++));
    const result = runtime.runTurn(record, input, { channelId: 'test', userId: 'u1', now });
    record = result.record;
    effects.push(...result.effects);
    messages.push(...result.messages);
    return result;
  };
  turn({ kind: 'start' });
  return {
    turn,
    say: (text: string) => turn({ kind: 'text', text }),
    /**
     * Answers in order. Opening the screening from the menu now passes the triage first (issue 17: danger,
     * who, age, override facts): the next three answers (who, danger, age) answer it, with no override
     * fact, and are given again to the screening only where it still asks them.
     */
    answer(...texts: string[]) {
      const rest = [...texts];
      const out = [];
      while (rest.length) {
        const atMenu = this.question().id === 'menu';
        out.push(this.say(rest.shift()!));
        if (atMenu && this.question().id === 'screen-immediate-danger' && rest.length >= 3) {
          const [about, danger, age] = rest.splice(0, 3);
          for (const text of [danger, about, age, 'none']) out.push(this.say(text));
          const again: Record<string, string> = { 'screen-about': about, 'screen-immediate-danger': danger, 'screen-age': age };
          while (again[this.question().id] !== undefined) out.push(this.say(again[this.question().id]));
        }
      }
      return out;
    },
    effects,
    messages,
    question: () => messages[messages.length - 1].value as { id: string; choices?: Array<{ value: string; title: string }> },
  };
}

const results = (messages: OutgoingMessage[]) => messages.filter((m) => m.value?.type === 'safeguarding.screeningResult');

describe('screening through the runtime', () => {
  it('reaches category 1 by titles and none, and shows who to call', () => {
    const c = conversation();
    c.answer('Is this exploitation?', 'A child (under 18)', 'no', '15', 'Nothing specific, she just seems quiet.');
    expect(c.question().id).toBe('screen-missing'); // nothing matched: no confirmation question
    c.answer('no', ...indicatorAnswers({ 'screen-health-behaviour': 'Drug or alcohol misuse' }), 'no');
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ category: 1, label: 'mild', pathway: 'early-help', urgency: 'routine', counts: { total: 1, significant: 0, critical: 0 } });
    expect(result.text).toMatch(/^Category 1 \(mild\): one risk indicator, drug or alcohol misuse\./);
    const last = c.say('I agree');
    expect(last.messages.map((m) => m.text).join('\n')).toMatch(/01452 426565/);
    expect(c.question().id).toBe('menu');
  });

  it('reaches category 3 by numbers and comma-separated choices, offering the referral', () => {
    const c = conversation();
    c.answer('2', '1', 'No', '16 years', 'Test Child has an older boyfriend and was picked up in a car by men.');
    expect(c.question()).toMatchObject({
      id: 'screen-confirm-detected',
      choices: [
        { value: 'older-partner', title: 'Older partner' },
        { value: 'vehicles', title: 'Vehicles driven by unknown adults' },
      ],
    });
    c.answer('1, 2', 'yes', 'no', '2');
    // The people question offers only what is not yet confirmed.
    expect(c.question().choices?.map((choice) => choice.value)).toEqual(['inappropriate-adults', 'exploited-peers', 'isolated', 'family-conflict']);
    c.answer(...indicatorAnswers({ 'screen-vulnerabilities': '3, 1' }), 'no');
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({
      type: 'safeguarding.screeningResult',
      category: 3,
      label: 'moderate',
      pathway: 'mash-referral',
      urgency: 'same-day',
      indicators: [
        { id: 'older-partner', label: 'Older partner', weight: 'significant' },
        { id: 'vehicles', label: 'Vehicles driven by unknown adults', weight: 'significant' },
        { id: 'missing', label: 'Going missing', weight: 'risk' },
      ],
      vulnerabilities: ['looked-after', 'sen-disability'],
      counts: { total: 3, significant: 2, critical: 0 },
      contentVersion: pack.version,
    });
    expect(result.text).toMatch(/^Category 3 \(moderate\): two significant indicators, older partner and vehicles driven by unknown adults\./);
    expect(result.text).toMatch(/Make the referral today/);
    expect(result.text).toMatch(/file the referral with the MASH/);
    c.say('agree');
    expect(c.messages.map((m) => m.text).join('\n')).toMatch(/Let's file the referral with the MASH\. The screening gave Category 3 \(moderate\)/);
    expect(c.question().id).toBe('ref-child-first-name');
  });

  it('reaches category 4 for a young child who goes missing regularly, without asking to raise it', () => {
    const c = conversation();
    c.answer(
      'screening',
      'child',
      'no',
      '12',
      'I am worried about her.',
      'yes',
      'no',
      '4',
      ...indicatorAnswers({ 'screen-people': 'Vehicles driven by unknown adults, isolated' }),
    );
    const last = c.say('no');
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({
      category: 4,
      pathway: 'mash-referral',
      urgency: 'immediate',
      counts: { total: 3, significant: 3, critical: 0 },
      overrides: { fired: [] },
    });
    expect(result.text).toMatch(/call the police first .* Then phone now: the Children and Families Help Desk \(MASH front door\) on 01452 426565/);
    expect(last.messages.some((m) => m.value?.type === 'safeguarding.question' && m.value.id === 'screen-judgement')).toBe(false);
  });

  it('audits each result once, never with the narrative, and a raise as a second result with its own id', () => {
    const c = conversation();
    c.answer('screen', 'child', 'no', '15', 'Test Child sends nudes to people online.', '1, 2', 'no', ...indicatorAnswers(), 'no');
    expect(results(c.messages)[0].value).toMatchObject({ category: 1 });
    c.answer('Raise the category', 'Older males seen waiting at the school gate');
    const [first, raised] = results(c.messages);
    expect(raised.value).toMatchObject({ category: 2, pathway: 'mash-referral', raised: { from: 1, reason: 'Older males seen waiting at the school gate' } });
    expect(raised.text).toMatch(/You raised the category from 1 to 2/);
    expect(c.effects.filter((e) => !(e.kind === 'audit.append' && e.payload.recordType === 'triage-overrides')).map((e) => [e.kind, e.id])).toEqual([
      ['audit.append', first.value?.screeningId],
      ['audit.append', raised.value?.screeningId],
    ]);
    expect(first.value?.screeningId).not.toBe(raised.value?.screeningId);
    expect(JSON.stringify([c.effects, results(c.messages).map((m) => m.value)])).not.toMatch(/Test Child|nudes to people/);
    expect(c.question().id).toBe('screen-judgement'); // category 2 can still be raised
  });

  it('goes back through a question whose choices came from earlier answers', () => {
    const c = conversation();
    c.answer('screen', 'child', 'no', '15', 'Older boyfriend, gets into cars.', '1');
    expect(c.question().id).toBe('screen-missing');
    c.say('back');
    expect(c.question()).toMatchObject({ id: 'screen-confirm-detected', choices: [{ value: 'older-partner' }, { value: 'vehicles' }] });
  });

  it('takes a card submit of values against the choices the flow offered', () => {
    const c = conversation();
    c.answer('screen', 'child', 'no', '15', 'Older boyfriend, gets into cars.');
    const { messages } = c.say('x'); // re-asked: not one of the offered choices
    expect(messages[0].text).toMatch(/did not catch that/);
    const turnId = (c.messages[c.messages.length - 1].value as { turnId: number }).turnId;
    c.turn({ kind: 'submit', questionId: 'screen-confirm-detected', turnId, answer: ['vehicles'] });
    expect(c.question().id).toBe('screen-missing');
  });

  it('re-asks when a multichoice answer names something not offered', () => {
    const c = conversation();
    c.answer('screen', 'child', 'no', '15', 'Nothing matched here.', 'no');
    c.say('1, 99');
    expect(c.question().id).toBe('screen-people');
  });

  it('leaves for 999 on immediate danger and for the LADO on a staff concern, back at the menu', () => {
    const danger = conversation();
    danger.say('screen'); // the triage asks danger first (issue 17)
    const handoff = danger.say('yes').messages[0];
    expect(handoff.value).toMatchObject({ type: 'safeguarding.handoff', kind: 'emergency' });
    expect(danger.question().id).toBe('menu');
    const staff = conversation();
    staff.say('screen');
    staff.say('no');
    expect(staff.say('Someone who works with children').messages[0].text).toMatch(/goes to the LADO/);
    expect(staff.question().id).toBe('lado-child-harmed'); // and the child's own route when a child may be harmed
    expect(staff.messages.map((m) => m.text).join('\n')).toMatch(/LADO \(Allegations Management\) on 01452 426994.*amadmin@gloucestershire\.gov\.uk/s);
    staff.say('no');
    expect(staff.question().id).toBe('menu');
    expect(staff.effects).toEqual([]);
  });
});
