import { referralBodySchema } from '../../referral/contract';
import type { OutgoingMessage } from '../../protocol';
import { answerUntil, conversation, line, screeningAnswers } from '../referral/referralTestKit';

// Every route of guidance rules §7 walked through the real runtime (menu → triage → route → referral).
const results = (messages: OutgoingMessage[]) => messages.filter((m) => m.value?.type === 'safeguarding.triageResult');
const allText = (messages: OutgoingMessage[]) => messages.map((m) => m.text).join('\n');
const referral = {
  'ref-child-first-name': 'Test',
  'ref-child-last-name': 'Child',
  'ref-child-dob': '14/03/2012',
  'ref-child-nhs': 'skip',
  'ref-child-upn': 'skip',
  'ref-child-postcode': 'skip',
  'ref-child-school': 'skip',
  'ref-concern-summary': 'What I saw and what she told me today.',
  'ref-consent-status': '2',
  'share-org-kind': 'A public body',
  'ref-referrer-role': 'Teacher',
  'ref-referrer-org': 'Test School',
  'ref-referrer-email': 'test.teacher@example.org',
  // Issue 21's questions, answered briefly.
  'ref-referrer-phone': '01632 960123',
  'ref-family-aware': 'Yes, they know',
  'ref-child-views': 'skip',
  'ref-sections': 'skip',
};
const child = (age: string) => ({ 'screen-immediate-danger': 'no', 'screen-about': 'child', 'screen-age': age });

describe('the order of evaluation through the runtime', () => {
  it('asks danger first and stops at 999 when anyone is in danger', () => {
    const c = conversation();
    c.say('Make a referral');
    expect(c.question().id).toBe('screen-immediate-danger');
    const out = c.say('yes');
    expect(out.messages[0].value).toMatchObject({ type: 'safeguarding.handoff', kind: 'emergency' });
    expect(out.messages[0].text).toMatch(/999/);
    expect(c.question().id).toBe('menu');
  });

  it('7-year-old with belt marks from her father: child-protection route, same day or immediate, never category 0, filed to the MASH (U4)', () => {
    const c = conversation();
    c.say('Make a referral');
    expect(answerUntil(c, { ...child('7'), 'concern-overrides': 'none' })).toBe('concern-kind');
    const stop = answerUntil(c, {
      'concern-kind': 'Physical abuse',
      'cp-injury': 'yes',
      'cp-disclosure': 'yes',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    });
    expect(stop).toBe('ref-child-first-name');
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ kind: 'physical-abuse', urgency: 'same-day', refer: true });
    expect(result.value?.steps).toEqual(expect.arrayContaining(['do-not-tell-parent', 'disclosure-response', 'mash-today']));
    expect(result.text).toMatch(/reasonable cause to suspect/);
    expect(result.text).toMatch(/Do not tell the parent or carer first/);
    expect(result.text).toMatch(/Never promise to keep it secret/);
    expect(allText(c.messages)).not.toMatch(/[Cc]ategory 0/);
    answerUntil(c, referral, 'ref-confirm');
    expect(c.lastText()).toMatch(/- Kind of concern: Physical abuse/);
    expect(c.lastText()).toMatch(/- Urgency: today/);
    const sent = c.say('Send the referral');
    const body = referralBodySchema.parse(sent.effects.find((e) => e.kind === 'outbox.enqueue')!.payload.body);
    expect(body.urgency).toBe('same-day');
  });

  it('a recent sexual or violent offence leads with the police, and immediate risk is immediate (M9)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...child('12'),
      'concern-overrides': 'none',
      'concern-kind': 'Sexual abuse',
      'cp-injury': 'no',
      'cp-disclosure': 'no',
      'cp-carer': 'no',
      'cp-immediate-risk': 'yes',
      'cp-recent-offence': 'yes',
      'concern-social-worker': 'no',
    });
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ urgency: 'immediate' });
    expect((result.value?.steps as string[])[0]).toBe('police-now');
    expect(result.text).toMatch(/tell the police first/);
    expect(result.text).toMatch(line('police-emergency', '999'));
    expect(result.text).toMatch(/Phone the MASH now/);
  });

  it('a child already open to social care goes to their social worker (EDT out of hours), not the Front Door (O3)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...child('10'),
      'concern-overrides': 'none',
      'concern-kind': 'Neglect',
      'cp-injury': 'no',
      'cp-disclosure': 'no',
      'cp-carer': 'no',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'yes',
    });
    const [result] = results(c.messages);
    expect(result.text).toMatch(/tell that social worker today, not the Front Door/);
    expect(result.text).toMatch(line('emergency-duty-team', '01452 614194'));
    expect(result.value).toMatchObject({ refer: false, urgency: 'routine' });
    expect(c.question().id).toBe('menu');
  });

  it('routine child protection still refers (written referral, 4 hours / 72 hours) and shows NSPCC and Childline', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...child('9'),
      'concern-overrides': 'none',
      'concern-kind': 'Emotional abuse',
      'cp-injury': 'no',
      'cp-disclosure': 'no',
      'cp-carer': 'no',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    });
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ urgency: 'routine', refer: true });
    expect(result.text).toMatch(/written referral to the MASH/);
    expect(result.text).toMatch(line('nspcc', '0808 800 5000'));
    expect(result.text).toMatch(line('childline', '0800 1111'));
    expect(c.question().id).toBe('ref-child-first-name');
  });

  it('staff concern: the LADO number and form, and then a referral for the child can be filed (U3)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { 'screen-immediate-danger': 'no', 'screen-about': 'Someone who works with children' });
    const lado = c.messages.find((m) => m.value?.kind === 'lado')!;
    expect(lado.text).toMatch(line('lado', '01452 426994'));
    expect(lado.text).toMatch(/amadmin@gloucestershire\.gov\.uk/);
    expect(lado.text).toMatch(/within 24 hours/);
    expect(lado.text).toMatch(/named senior manager/);
    expect(lado.text).toMatch(/Do not investigate/);
    expect(c.question().id).toBe('lado-child-harmed');
    const stop = answerUntil(c, {
      'lado-child-harmed': 'yes',
      'screen-age': '13',
      'concern-overrides': 'none',
      'concern-kind': 'Physical abuse',
      'cp-injury': 'yes',
      'cp-disclosure': 'no',
      'cp-carer': 'no',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    });
    expect(stop).toBe('ref-child-first-name');
    expect(results(c.messages)[0].value?.steps).toEqual(expect.arrayContaining(['lado', 'child-route-too', 'mash-today']));
    answerUntil(c, referral, 'ref-confirm');
    const sent = c.say('Send the referral');
    expect(sent.effects.filter((e) => e.kind === 'outbox.enqueue')).toHaveLength(1);
  });

  it('staff concern with no child harmed: the LADO only, back at the menu', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { 'screen-immediate-danger': 'no', 'screen-about': 'staff', 'lado-child-harmed': 'no' });
    expect(c.question().id).toBe('menu');
    expect(c.effects.filter((e) => e.kind === 'outbox.enqueue')).toEqual([]);
  });

  it('20-year-old care leaver: the adult route with the Help Desk, s42, capacity and the personal adviser, no MASH referral (U6)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      'screen-immediate-danger': 'no',
      'screen-about': 'child',
      'screen-age': '20',
      'adult-care-leaver': 'yes',
      'adult-capacity': 'yes',
      'adult-agrees': 'no',
      'adult-others-at-risk': 'no',
    });
    const text = allText(c.messages);
    expect(text).toMatch(line('adult-helpdesk', '01452 426868'));
    expect(text).toMatch(/section 42/);
    expect(text).toMatch(/personal adviser/);
    expect(text).toMatch(/respect their decision for now, record their views/);
    expect(text).not.toMatch(/file the referral with the MASH/);
    expect(results(c.messages)[0].value).toMatchObject({ about: 'young-adult', refer: false, steps: ['adult-helpdesk', 'adult-views-capacity', 'personal-adviser'] });
    expect(c.question().id).toBe('menu');
  });

  it('a young adult lacking capacity, or with others at risk, is raised without their agreement', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { 'screen-immediate-danger': 'no', 'screen-about': 'A young adult (18 to 25)', 'adult-care-leaver': 'no', 'adult-capacity': 'no' });
    expect(allText(c.messages)).toMatch(/without their agreement/);
  });

  it('radicalisation goes to Prevent with the hotline, 999 if imminent, and the MASH only with other needs (M4)', () => {
    const only = conversation();
    only.say('Make a referral');
    answerUntil(only, { ...child('15'), 'concern-overrides': 'none', 'concern-kind': 'Radicalisation or extremism', 'prevent-imminent': 'no', 'prevent-other-needs': 'no' });
    const [prevent] = results(only.messages);
    expect(prevent.text).toMatch(/national Prevent referral form/);
    expect(prevent.text).toMatch(/Channel/);
    expect(prevent.text).toMatch(line('anti-terrorist-hotline', '0800 789 321'));
    expect(prevent.value).toMatchObject({ refer: false, steps: ['prevent', 'dsl'] });
    expect(only.question().id).toBe('menu');
    const both = conversation();
    both.say('Make a referral');
    const stop = answerUntil(both, {
      ...child('15'),
      'concern-overrides': 'none',
      'concern-kind': 'radicalisation',
      'prevent-imminent': 'yes',
      'prevent-other-needs': 'yes',
      'concern-social-worker': 'no',
    });
    expect(stop).toBe('ref-child-first-name');
    const [withMash] = results(both.messages);
    expect(withMash.value).toMatchObject({ urgency: 'immediate', refer: true });
    expect(withMash.text).toMatch(/could happen soon: call/);
  });

  it('known FGM under 18: the regulated professional’s own duty to report to the police (101), within a month, plus the MASH (M8)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...child('14'),
      'concern-overrides': 'none',
      'concern-kind': 'fgm',
      'fgm-status': 'It has been carried out',
      'fgm-regulated': 'yes',
      'concern-social-worker': 'no',
    });
    const [result] = results(c.messages);
    expect(result.text).toMatch(/legal duty to report it to the police yourself/);
    expect(result.text).toMatch(line('police-non-emergency', '101'));
    expect(result.text).toMatch(/within one month/);
    expect(result.value?.steps).toEqual(expect.arrayContaining(['fgm-police-report', 'mash-today']));
    expect(c.question().id).toBe('ref-child-first-name');
  });

  it('FGM risk (not happened): the MASH and the police', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { ...child('9'), 'concern-overrides': 'none', 'concern-kind': 'fgm', 'fgm-status': 'at risk', 'concern-social-worker': 'no' });
    expect(results(c.messages)[0].text).toMatch(/at risk of FGM/);
  });

  it('a child missing now goes to the missing route before the kind: police now, 999 at high risk, RHI in 72 hours, placing authority (M5)', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { ...child('14'), 'concern-overrides': 'Missing right now' });
    expect(c.question().id).toBe('missing-high-risk');
    const stop = answerUntil(c, { 'missing-high-risk': 'yes', 'screen-looked-after-elsewhere': 'yes', 'concern-social-worker': 'no' });
    expect(stop).toBe('ref-child-first-name');
    const [result] = results(c.messages);
    expect(result.value).toMatchObject({ kind: 'missing', urgency: 'immediate' });
    expect((result.value?.steps as string[])[0]).toBe('call-999');
    expect(result.text).toMatch(/missing now and at high risk/);
    expect(result.text).toMatch(/return home interview within 72 hours/);
    expect(result.text).toMatch(/safe-and-well check/);
    expect(result.text).toMatch(/tell the placing authority/);
  });

  it('missing now, not high risk: report to the police on 101 now', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { ...child('15'), 'concern-overrides': 'missing-now', 'missing-high-risk': 'no', 'screen-looked-after-elsewhere': 'no', 'concern-social-worker': 'no' });
    const [result] = results(c.messages);
    expect(result.text).toMatch(/report them missing to the police now/);
    expect(result.value?.steps).toEqual(expect.arrayContaining(['missing-police-report', 'return-home-interview']));
  });

  it('forced marriage: police and the MASH, family not told first', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, {
      ...child('16'),
      'concern-overrides': 'none',
      'concern-kind': 'Forced marriage',
      'cp-injury': 'no',
      'cp-disclosure': 'yes',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    });
    const [result] = results(c.messages);
    expect(result.text).toMatch(/Forced marriage is child abuse: tell the police/);
    expect(result.text).toMatch(/Do not contact the family/);
  });

  it('exploitation from "Make a referral" runs the screening with what the triage knows, then the referral', () => {
    const c = conversation();
    c.say('Make a referral');
    answerUntil(c, { ...child('14'), 'concern-overrides': 'none', 'concern-kind': 'Exploitation (sexual or criminal)' });
    expect(c.question().id).toMatch(/^screen-/);
    const asked: string[] = [];
    const answers = screeningAnswers('She has an older boyfriend and is picked up in a car by men.', '1, 2');
    while (answers[c.question().id] !== undefined) {
      asked.push(c.question().id);
      c.say(answers[c.question().id]);
    }
    // The screening is told who, how old and the override facts: it does not ask them again.
    expect(asked).not.toEqual(expect.arrayContaining(['screen-about']));
    expect(asked).not.toContain('screen-age');
    expect(asked).not.toContain('screen-immediate-danger');
    expect(c.question().id).toBe('ref-child-first-name');
    expect(c.messages.some((m) => m.value?.type === 'safeguarding.screeningResult')).toBe(true);
  });

  it('"Is this exploitation?" goes danger → about → age → overrides → screening, with no kind question', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    const asked: string[] = [];
    for (const [id, text] of [
      ['screen-immediate-danger', 'no'],
      ['screen-about', 'child'],
      ['screen-age', '14'],
      ['concern-overrides', 'none'],
    ]) {
      asked.push(c.question().id);
      expect(c.question().id).toBe(id);
      c.say(text);
    }
    expect(c.question().id).not.toBe('concern-kind');
    expect(c.question().id).toMatch(/^screen-/);
  });

  it('the screening hands a concern that is not exploitation back to concern-kind, the suggested kind first but still confirmed', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    answerUntil(c, {
      ...child('7'),
      'concern-overrides': 'none',
      'screen-narrative': 'Red marks on her arm; she said dad hit her with a belt.',
      'screen-confirm-detected': 'none',
    });
    if (c.question().id === 'screen-other-harm') c.say('Go to the right route');
    expect(c.question().id).toBe('concern-kind');
    expect(c.question().choices?.[0].value).toBe('physical-abuse');
    expect(c.question().id).not.toBe('concern-overrides'); // asked once
    const stop = answerUntil(c, {
      'concern-kind': '1',
      'cp-injury': 'yes',
      'cp-disclosure': 'yes',
      'cp-carer': 'yes',
      'cp-immediate-risk': 'no',
      'cp-recent-offence': 'no',
      'concern-social-worker': 'no',
    });
    expect(stop).toBe('ref-child-first-name');
    expect(results(c.messages)[0].value).toMatchObject({ kind: 'physical-abuse', urgency: 'same-day' });
    expect(allText(c.messages)).not.toMatch(/Category 0/);
  });
});
