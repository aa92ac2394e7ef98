import { expect } from '@jest/globals';
import { serviceWordsOf, type OutgoingMessage } from '../../flows';
import { answerUntil, conversation, exploitationAnswers, pack, signedIn, toCheckPage } from '../../flows/machines/referral/referralTestKit';
import { referralBodySchema } from '../../flows/referral/contract';
import { cardProblems } from '../../test/support/adaptiveCards';
import { answerFromAction, cardActionResult } from './cardAction';
import type { AdaptiveCard, CardElement } from './cardElements';
import { cardContextOf } from './cardWords';
import { questionCard, questionOf } from './questionCard';

/*
 * Issue 21 item 2 in Teams: a referral section is one Adaptive Card of inputs with one Send; what the
 * professional types comes back through the `adaptiveCard/action` invoke (inputs merged into the data by
 * id), and a refused card is followed by the same card filled in, each error under its field.
 */

const context = cardContextOf(pack);
const say = serviceWordsOf(pack);

function cardFor(message: OutgoingMessage): AdaptiveCard {
  const question = questionOf(message);
  if (!question) throw new Error(`not a question: ${message.text}`);
  return questionCard(message, question, context.limitsOf(question.id), say);
}

const last = (c: ReturnType<typeof conversation>) => c.messages[c.messages.length - 1];
const inputs = (card: AdaptiveCard) => card.body.filter((e): e is Extract<CardElement, { id: string }> => e.type.startsWith('Input.'));
const errorsIn = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'TextBlock' && e.color === 'Attention' ? [e.text] : []));

/** What Teams sends when Send is pressed: the button's data with every input merged in by id. */
function press(card: AdaptiveCard, typed: Record<string, string>) {
  const send = card.actions?.find((a) => a.verb === 'answer');
  if (!send) throw new Error('no Send');
  const fields = Object.fromEntries(inputs(card).map((i) => [i.id, typed[i.id] ?? '']));
  return answerFromAction({ action: { type: 'Action.Execute', verb: 'answer', data: { ...send.data, ...fields } } });
}

describe('a referral section as one Adaptive Card in Teams (issue 21 item 2)', () => {
  it('shows every field of a section with one Send, refuses errors with the card filled in again, and files what was sent', () => {
    // The sections are offered at the check, one pick at a time, each returning to the check.
    const c = toCheckPage({ channelId: 'msteams', ...signedIn });
    c.say('Add people and places of concern');
    expect(questionOf(last(c))?.id).toBe('ref-persons-of-concern');

    const people = cardFor(last(c));
    expect(cardProblems(people)).toEqual([]);
    expect(inputs(people).map((i) => i.label)).toEqual(
      expect.arrayContaining([
        'Name or nickname',
        'Description',
        'Approximate age',
        'Vehicle make',
        'Vehicle colour',
        'Vehicle registration',
        'Social media handles (separate with commas)',
      ]),
    );
    expect(inputs(people).map((i) => i.id)).toContain('form.1.name'); // a second person without another message
    // One Send for the whole form, and the question's "That's all" beside it.
    expect(people.actions?.map((a) => a.title)).toEqual(['Send', "That's all"]);
    const input = press(people, { 'form.0.name': 'Jay', 'form.0.vehicleRegistration': 'AB12 CDE', 'form.0.phones': '07700 900123' });
    const outcome = c.turn(input!);
    // The card becomes a record of what was added, in words (never the draft's JSON).
    const record = JSON.stringify(cardActionResult({ ...outcome, attempts: 1 }, say).response.value);
    expect(record).toContain('Jay, 07700 900123, AB12 CDE');
    expect(record).not.toContain('{\\"card\\"');
    expect(outcome.submitted).toMatchObject({ status: 'accepted', answer: ['Jay, 07700 900123, AB12 CDE'] });

    expect(questionOf(last(c))?.id).toBe('ref-confirm');
    c.say('Add parents and carers (recommended)');
    const household = cardFor(last(c));
    expect(questionOf(last(c))?.id).toBe('ref-household');
    const responsibility = inputs(household).find((i) => i.id === 'form.0.parentalResponsibility');
    expect(responsibility).toMatchObject({ type: 'Input.ChoiceSet', choices: [{ value: 'yes' }, { value: 'no' }, { value: 'unknown' }] });
    const typed = { 'form.0.name': 'Test Parent', 'form.0.relationship': 'mother', 'form.0.phone': 'call the school', 'form.0.parentalResponsibility': 'yes' };
    const refused = c.turn(press(household, typed)!);
    expect(refused.submitted?.status).toBe('invalid');

    // The same card again: everything typed still in it, the error under the phone.
    const again = cardFor(last(c));
    expect(cardProblems(again)).toEqual([]);
    expect(inputs(again).filter((i) => 'value' in i && i.value)).toEqual([
      expect.objectContaining({ id: 'form.0.name', value: 'Test Parent' }),
      expect.objectContaining({ id: 'form.0.relationship', value: 'mother' }),
      expect.objectContaining({ id: 'form.0.phone', value: 'call the school' }),
      expect.objectContaining({ id: 'form.0.parentalResponsibility', value: 'yes' }),
    ]);
    expect(errorsIn(again)).toEqual([expect.stringMatching(/^Enter a phone number/)]);

    c.turn(press(again, { ...typed, 'form.0.phone': '01632 960001' })!);
    expect(questionOf(last(c))?.id).toBe('ref-confirm');
    c.say('Send the referral');
    const body = referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body).toMatchObject({
      household: [{ name: 'Test Parent', relationship: 'mother', phone: '01632 960001', parentalResponsibility: true }],
      personsOfConcern: [{ name: 'Jay', phones: ['07700 900123'], vehicles: [{ registration: 'AB12 CDE' }] }],
    });
  });

  it('shows the child and the concern as one card, the concern filled in, with "Not now" beside Send', () => {
    const c = conversation({ channelId: 'msteams', ...signedIn });
    c.say('Make a referral');
    expect(answerUntil(c, exploitationAnswers)).toBe('ref-child-first-name');
    const details = cardFor(last(c));
    expect(cardProblems(details)).toEqual([]);
    expect(inputs(details).map((i) => i.id)).toEqual(['firstName', 'lastName', 'dob', 'nhs', 'upn', 'postcode', 'school', 'summary'].map((name) => `form.0.${name}`));
    expect(inputs(details).find((i) => i.id === 'form.0.summary')).toMatchObject({
      isMultiline: true,
      value: 'She has an older boyfriend and is picked up in a car by men.',
    });
    expect(details.actions?.map((a) => a.title)).toEqual(['Send', 'Not now']);

    const refused = c.turn(press(details, { 'form.0.firstName': 'Test', 'form.0.lastName': 'Child', 'form.0.dob': '14/03/2099' })!);
    expect(refused.submitted?.status).toBe('invalid');
    const again = cardFor(last(c));
    expect(errorsIn(again)).toEqual([expect.stringMatching(/in the future/)]);
    expect(inputs(again).find((i) => i.id === 'form.0.dob')).toMatchObject({ value: '14/03/2099' });

    const accepted = c.turn(press(again, { 'form.0.firstName': 'Test', 'form.0.lastName': 'Child', 'form.0.dob': '14/03/2012', 'form.0.summary': 'Picked up by men in cars.' })!);
    expect(accepted.submitted).toMatchObject({ status: 'accepted', answer: expect.arrayContaining(['Last name: Child']) });
    expect(questionOf(last(c))?.id).toBe('ref-consent-status');
  });
});
