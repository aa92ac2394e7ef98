import { referralBodySchema } from '../../referral/contract';
import { answerUntil, conversation, screeningAnswers, triageChild } from './referralTestKit';

/** Issue 21 item 7: the NHS number and the UPN asked as one question; the UPN question stays for what needs it. */
function toIdentifiers() {
  const c = conversation({ userName: 'Test Teacher', userRole: 'DSL', userOrganisation: 'Test School', userEmail: 'test.teacher@example.org' });
  c.say('Make a referral');
  answerUntil(c, { ...triageChild('14'), 'concern-kind': 'Exploitation (sexual or criminal)', ...screeningAnswers('She is picked up in a car by men.', '1'), 'screen-age': '14' });
  c.answer('Test Child', '14/03/2012');
  expect(c.question().id).toBe('ref-child-nhs');
  return c;
}

const rest = ['gl1 2tg', 'skip', 'Use what I wrote', 'Not asked: it would harm a police inquiry', 'A public body', '01632 960123', 'skip'];

describe('the NHS number and UPN in one answer (issue 21 item 7)', () => {
  it('takes both in one answer, does not ask the UPN again, and sends both', () => {
    const c = toIdentifiers();
    c.answer('943 476 5919 M916200024001');
    expect(c.question().id).toBe('ref-child-postcode');
    c.answer(...rest);
    expect(c.lastText()).toMatch(/- NHS number: 9434765919\n- UPN: M916200024001\n/);
    c.say('Send the referral');
    const body = referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body.child).toMatchObject({ nhsNumber: '9434765919', upn: 'M916200024001' });
  });

  it('still asks the UPN after an NHS number alone', () => {
    const c = toIdentifiers();
    c.answer('943 476 5919');
    expect(c.question().id).toBe('ref-child-upn');
  });
});
