import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import { answerUntil, conversation, exploitationAnswers, physicalAbuseAnswers, signedIn } from './referralTestKit';

/*
 * Issue 21 item 7: the child and the concern as one form on the first of their questions (the Adaptive
 * Card in Teams, the form under the question in Web Chat). Each field is read by its own question's rules;
 * a refused form keeps everything typed; typing one answer at a time works as before.
 */

type Conversation = ReturnType<typeof conversation>;

const toDetails = (answers: Record<string, string> = exploitationAnswers): Conversation => {
  const c = conversation(signedIn);
  c.say('Make a referral');
  expect(answerUntil(c, answers)).toBe('ref-child-first-name');
  return c;
};

const afterDetails = {
  'ref-consent-status': 'Yes, consent given',
  'share-org-kind': 'A public body',
  'ref-referrer-phone': '01632 960123',
  'ref-family-aware': 'Yes, they know',
  'ref-child-views': 'skip',
};

const everyField = {
  '0.firstName': 'Test',
  '0.lastName': 'Child',
  '0.dob': '14/03/2012',
  '0.nhs': '943 476 5919',
  '0.upn': 'M916200024001',
  '0.postcode': 'gl1 2tg',
  '0.school': 'Test Academy',
  '0.summary': 'She has an older boyfriend and is picked up in a car by men after school.',
};

const bodyOf = (c: Conversation) => referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);

describe('the child and the concern as one form (issue 21 item 7)', () => {
  it('offers the form on the first question, takes every field in one submit, and goes on at consent', () => {
    const c = toDetails();
    const form = c.question().form!;
    expect(form.blocks).toEqual([{ title: 'The child and the concern' }]);
    expect(form.fields.map((f) => [f.name, f.kind])).toEqual([
      ['firstName', 'text'],
      ['lastName', 'text'],
      ['dob', 'date'],
      ['nhs', 'text'],
      ['upn', 'text'],
      ['postcode', 'text'],
      ['school', 'text'],
      ['summary', 'multiline'],
    ]);
    // "Not now" stays on the question: the form never takes away the way out.
    expect(c.question().choices).toEqual([{ value: 'not-now', title: 'Not now' }]);

    const sent = c.submit(everyField);
    expect(sent.submitted).toMatchObject({ status: 'accepted', answer: expect.arrayContaining(['First name: Test', 'NHS number (10 digits), if known: 943 476 5919']) });
    expect(c.question().id).toBe('ref-consent-status');
    expect(answerUntil(c, afterDetails)).toBe('ref-confirm');
    const check = c.lastText();
    expect(check).toMatch(/- First name: Test\n- Last name: Child\n- Date of birth: 14\/03\/2012/);
    expect(check).toMatch(/- School or setting: Test Academy\n/);
    c.say('Send the referral');
    expect(bodyOf(c)).toMatchObject({
      child: {
        firstName: 'Test',
        lastName: 'Child',
        dateOfBirth: '2012-03-14',
        nhsNumber: '9434765919',
        upn: 'M916200024001',
        address: { postcode: 'GL1 2TG' },
        school: 'Test Academy',
      },
      concern: { summary: expect.stringMatching(/^She has an older boyfriend/) },
    });
  });

  it("refuses a bad date of birth and NHS number with the question's own reasons, keeps everything typed, and records nothing", () => {
    const c = toDetails();
    const typed = { ...everyField, '0.dob': '31/02/2012', '0.nhs': '943 476 5918' };
    const refused = c.submit(typed);
    expect(refused.submitted?.status).toBe('invalid');
    const said = refused.messages.map((m) => m.text).join('\n');
    expect(said).toMatch(/Nothing was added yet/);
    expect(said).toMatch(/The child and the concern, Date of birth \(DD\/MM\/YYYY\): That date does not exist/);
    expect(said).toMatch(/The child and the concern, NHS number \(10 digits\), if known: /);

    const again = c.question();
    expect(again.id).toBe('ref-child-first-name');
    expect(again.form?.values).toEqual(typed);
    expect(Object.keys(again.form?.errors ?? {})).toEqual(['0.dob', '0.nhs']);

    c.submit({ ...typed, '0.dob': '28/02/2012', '0.nhs': '943 476 5919' });
    expect(c.question().id).toBe('ref-consent-status');
    answerUntil(c, afterDetails);
    c.say('Send the referral');
    expect(bodyOf(c).child).toMatchObject({ dateOfBirth: '2012-02-28', nhsNumber: '9434765919' });
  });

  it('needs the first name: a form without one is refused, what was typed kept', () => {
    const c = toDetails();
    const refused = c.submit({ '0.lastName': 'Child', '0.dob': '14/03/2012' });
    expect(refused.submitted?.status).toBe('invalid');
    expect(c.question().form?.errors).toEqual({ '0.firstName': expect.stringMatching(/first name/) });
    expect(c.question().form?.values).toMatchObject({ '0.lastName': 'Child', '0.dob': '14/03/2012' });
  });

  it('prefills the concern with what the professional wrote at the screening, and nothing when there is none', () => {
    expect(toDetails().question().form?.values).toEqual({ '0.summary': 'She has an older boyfriend and is picked up in a car by men.' });
    expect(toDetails(physicalAbuseAnswers).question().form?.values).toBeUndefined();
  });

  it('skips what may be skipped when left empty, and asks next what may not be (the date of birth, the concern)', () => {
    const c = toDetails(physicalAbuseAnswers);
    c.submit({ '0.firstName': 'Test', '0.lastName': 'Child' });
    expect(c.question().id).toBe('ref-child-dob');
    c.answer('Not known');
    expect(c.question().id).toBe('ref-child-age');
    // The NHS number, UPN, postcode and school were left empty: skipped, not asked again.
    c.answer('7');
    expect(c.question().id).toBe('ref-concern-summary');
    c.answer('Bruises on both arms he would not explain.');
    expect(c.question().id).toBe('ref-consent-status');
  });

  it('still works question by question when the professional types instead', () => {
    const c = toDetails();
    c.answer('Test Child', '14/03/2012', '943 476 5919 M916200024001');
    expect(c.question().id).toBe('ref-child-postcode');
  });

  it('changes one field from the check by typing, or by the form filled in with every answer so far', () => {
    const c = toDetails();
    c.submit(everyField);
    answerUntil(c, afterDetails);
    c.answer('Change something', 'Date of birth', '15/03/2012');
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Date of birth: 15\/03\/2012/);

    c.answer('Change something', 'First name');
    expect(c.question().form?.values).toMatchObject({ '0.firstName': 'Test', '0.dob': '15/03/2012', '0.school': 'Test Academy' });
    c.submit({ ...everyField, '0.dob': '15/03/2012', '0.firstName': 'Testy' });
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- First name: Testy\n/);
  });

  it('"back" after the form returns to it, and a concern that mentions danger gets the emergency advice first', () => {
    const c = toDetails();
    const sent = c.submit({ ...everyField, '0.summary': 'She told me she is in danger tonight from the men in the car.' });
    expect(sent.messages[0].text).toMatch(/999/);
    expect(c.question().id).toBe('ref-consent-status');
    c.say('back');
    expect(c.question().id).toBe('ref-child-first-name');
  });
});
