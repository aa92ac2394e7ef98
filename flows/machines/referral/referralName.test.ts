import { answerUntil, conversation, screeningAnswers, triageChild } from './referralTestKit';

/** Issue 21 item 7: the child's name as one answer, split only where it cannot be split wrongly. */
function toName() {
  const c = conversation({ userName: 'Test Teacher' });
  c.say('Make a referral');
  const exploitation = {
    ...triageChild('14'),
    'concern-kind': 'Exploitation (sexual or criminal)',
    ...screeningAnswers('She is picked up in a car by men.', '1'),
    'screen-age': '14',
  };
  answerUntil(c, exploitation);
  expect(c.question().id).toBe('ref-child-first-name');
  return c;
}

describe("the child's name in one answer (issue 21 item 7)", () => {
  it('takes "first last" as both names and goes straight to the date of birth', () => {
    const c = toName();
    c.answer('Test Child');
    expect(c.question().id).toBe('ref-child-dob');
  });

  it('splits at a comma when a name has more than one word, and asks the last name after a first name alone', () => {
    const c = toName();
    c.answer('Mary Jane, Test-Smith');
    expect(c.question().id).toBe('ref-child-dob');
    const alone = toName();
    alone.answer('Test');
    expect(alone.question().id).toBe('ref-child-last-name');
  });

  it('asks the last name when three words could be split either way, and takes it off the end of what was typed', () => {
    const c = toName();
    c.answer('Mary Jane Test');
    expect(c.question().id).toBe('ref-child-last-name');
    c.answer('Test');
    expect(c.question().id).toBe('ref-child-dob');
    c.answer(
      '14/03/2012',
      'skip',
      'skip',
      'skip',
      'Use what I wrote',
      'Not asked: it would harm a police inquiry',
      'A public body',
      'DSL',
      'Test School',
      'test.teacher@example.org',
      '01632 960123',
      'skip',
    );
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- First name: Mary Jane\n- Last name: Test\n/);
  });
});
