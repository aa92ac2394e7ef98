import { expect } from '@jest/globals';
import type { OutgoingMessage } from '../../flows';
import { cardProblems, roundTrip } from '../../test/support/adaptiveCards';
import { anyObject, jsonAs } from '../../test/support/json';
import { categoryThreeAnswers, pack, runtimeConversation } from '../../test/support/runtimeConversation';
import type { AdaptiveCard } from './cardElements';
import { cardContextOf } from './cardWords';
import { resultCard } from './resultCard';

const context = cardContextOf(pack);

function resultOf(type: string, answers: string[], now?: Date): OutgoingMessage {
  const c = runtimeConversation(now);
  const messages = answers.flatMap((text) => c.say(text).messages);
  const found = messages.find((m) => m.value?.type === type);
  if (!found) throw new Error(`no ${type} among ${messages.length} messages`);
  return found;
}

function cardOf(message: OutgoingMessage): AdaptiveCard {
  const card = resultCard(message, context);
  if (!card) throw new Error('no card');
  expect(cardProblems(card)).toEqual([]);
  expect(roundTrip(card)).toMatchObject(jsonAs(JSON.stringify({ body: card.body }), anyObject));
  return card;
}

const titleOf = (card: AdaptiveCard) => (card.body[0]?.type === 'TextBlock' ? card.body[0].text : undefined);
function factsOf(card: AdaptiveCard): Record<string, string> {
  const set = card.body.find((e) => e.type === 'FactSet');
  return Object.fromEntries(set?.type === 'FactSet' ? set.facts.map((f) => [f.title, f.value]) : []);
}
/** The message text follows the facts, paragraph by paragraph. */
const showsText = (card: AdaptiveCard, message: OutgoingMessage) =>
  expect(card.body.flatMap((e) => (e.type === 'TextBlock' ? [e.text] : [])).join('\n')).toContain(message.text.split('\n\n')[0]);

describe('result cards', () => {
  it('shows a screening result with its category, reasons, indicators and next step', () => {
    const result = resultOf('safeguarding.screeningResult', categoryThreeAnswers);
    const card = cardOf(result);
    expect(titleOf(card)).toBe('Exploitation screening: category 3 (moderate)');
    const facts = factsOf(card);
    expect(facts).toMatchObject({ Category: '3 (moderate)', 'Next step': 'Refer to the MASH', Urgency: 'Same day', Reference: result.value?.screeningId });
    expect(facts.Why).toMatch(/two significant indicators, older partner and vehicles driven by unknown adults/);
    expect(facts.Indicators).toMatch(/Older partner \(significant\)/);
    showsText(card, result);
  });

  it('shows a sharing decision with its reason, lawful basis and recipient from the pack', () => {
    const decision = resultOf('safeguarding.sharingDecision', ['Should I share this?', 'Yes', '2', 'yes', 'Another organisation', '3', 'Yes', 'Yes', 'The police']);
    const card = cardOf(decision);
    expect(titleOf(card)).toBe('Information-sharing decision');
    expect(factsOf(card)).toEqual({
      Decision: 'Share without consent',
      Reason: 'Risk of harm',
      'Lawful basis': expect.stringMatching(/^UK GDPR Article 6\(1\)\(ea\) recognised legitimate interest, Annex 1 paragraph 6/),
      'Share with': 'The police',
      Reference: decision.value?.decisionId,
    });
    showsText(card, decision);
  });

  it('shows who can be called now, and when a closed line opens', () => {
    const sundayEvening = new Date('2026-03-01T19:00:00Z');
    const advice = resultOf('safeguarding.handoff', ['Who can I call?'], sundayEvening);
    const card = cardOf(advice);
    expect(titleOf(card)).toBe('Who you can call now');
    const facts = Object.values(factsOf(card));
    expect(facts).toContainEqual(expect.stringMatching(/^999 · open now$/));
    expect(facts).toContainEqual(expect.stringMatching(/^01452 426565 · closed, opens Monday 2 March at 09:00$/));
  });

  it('shows the emergency numbers on 999', () => {
    const card = cardOf(resultOf('safeguarding.handoff', ['999']));
    expect(titleOf(card)).toBe('Immediate danger: call 999');
    expect(Object.values(factsOf(card)).join('\n')).toMatch(/^999/m);
  });

  it('shows a filed referral and a MASH update with status in plain words, references and decision (issue 20 item 5)', () => {
    const filed = cardOf({ text: 'Your referral is on its way.', value: { type: 'safeguarding.referralFiled', clientReference: 'SG-123', status: 'queued' } });
    expect(titleOf(filed)).toBe('Referral to the MASH');
    expect(factsOf(filed)).toEqual({ Status: 'Referral filed: it is on its way to the MASH', 'Our reference': 'SG-123' });

    const update = cardOf({
      text: 'The MASH decided.',
      value: { type: 'safeguarding.referralUpdate', reference: 'MASH-42', event: 'referral.decision', decision: { outcome: 'early-help', note: 'Family support offered.' } },
    });
    expect(titleOf(update)).toBe('Referral update');
    expect(factsOf(update)).toEqual({ 'MASH reference': 'MASH-42', Update: 'The MASH has decided: early help', Decision: 'Early help', Note: 'Family support offered.' });
  });

  it('never shows a MASH status code: each stage has its words', () => {
    for (const [type, stage] of [
      ['safeguarding.referralFiled', 'phone'],
      ['safeguarding.referralFiled', 'delivered'],
      ['safeguarding.referralFiled', 'parked'],
      ['safeguarding.referralUpdate', 'referral.acknowledged'],
      ['safeguarding.referralUpdate', 'referral.info-requested'],
      ['safeguarding.referralUpdate', 'not-acknowledged'],
    ]) {
      const key = type === 'safeguarding.referralFiled' ? 'status' : 'event';
      const facts = factsOf(cardOf({ text: 'x', value: { type, reference: 'MASH-42', [key]: stage } }));
      const said = facts.Status ?? facts.Update;
      expect(said).toMatch(/^[A-Z]/);
      expect(said).not.toMatch(/referral\.|info-requested|not-acknowledged|^(Phone|Delivered|Parked)$/);
    }
  });

  it('still shows the text of a result whose value it cannot read, and makes no card for other messages', () => {
    const odd = cardOf({ text: 'Something new.', value: { type: 'safeguarding.handoff', kind: 'cse-team' } });
    expect(odd.body).toEqual([{ type: 'TextBlock', text: 'Something new.', wrap: true }]);
    expect(resultCard({ text: 'Hello.' }, context)).toBeUndefined();
    expect(resultCard({ text: 'x', value: { type: 'toString' } }, context)).toBeUndefined();
  });

  it('shows "my record" after a sharing decision as a card with the decision facts', () => {
    const c = runtimeConversation();
    for (const text of ['Should I share this?', 'yes', 'no', 'yes', 'A public body', 'They refused', 'Yes', 'No', 'The police']) c.say(text);
    const record = c.say('My record').messages[0];
    expect(record.value).toBeUndefined();
    const card = cardOf(record);
    expect(titleOf(card)).toBe('Information-sharing decision record');
    expect(factsOf(card)).toMatchObject({ Decision: expect.stringMatching(/without consent/i), 'Share with': 'The police', 'Decision ID': expect.stringMatching(/^share-/) });
    showsText(card, record);
  });
});
