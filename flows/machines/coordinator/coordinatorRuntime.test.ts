import { expect } from '@jest/globals';
import { answerUntil, conversation, screeningAnswers, screenToCategory3, triageChild } from '../referral/referralTestKit';

describe('talking to a coordinator through the runtime', () => {
  it('opens a handoff from the menu with no child details, and tells the professional what happens next', () => {
    const c = conversation();
    const intro = c.say('Talk to a coordinator');
    expect(intro.messages[0].text).toMatch(/CSE coordinator to pick this up.*999/);
    expect(c.question()).toMatchObject({ id: 'handoff-note', expects: 'text' });
    const opened = c.say('Worried about a Year 9 pupil seen getting into cars after school');
    const result = opened.messages.find((m) => m.value?.type === 'safeguarding.handoff');
    expect(result?.value).toEqual({
      type: 'safeguarding.handoff',
      kind: 'coordinator',
      handoffId: expect.stringMatching(/^SGH-[0-9A-F]{12}$/),
      status: 'open',
      urgency: 'routine',
    });
    expect(result?.text).toMatch(/with the CSE coordinators \(routine\)/);
    const effect = opened.effects.find((e) => e.kind === 'handoff.open');
    expect(effect).toMatchObject({ kind: 'handoff.open', id: result?.value?.handoffId, payload: { kind: 'talk-to-coordinator', urgency: 'routine', recordType: 'handoff' } });
    expect(effect?.payload.summary).toMatch(/No screening or referral in this conversation yet\.\nNote from the professional: Worried about a Year 9 pupil/);
    expect(c.question().id).toBe('menu');
  });

  it('tells the coordinators who asks, as the sign-in gave it: name, role and organisation, never the email (issue 20)', () => {
    const c = conversation({ userName: 'Test Teacher', userRole: 'Designated safeguarding lead', userOrganisation: 'Test School', userEmail: 'test.teacher@example.org' });
    c.say('Talk to a coordinator');
    const effect = c.say('skip').effects.find((e) => e.kind === 'handoff.open');
    expect(effect?.payload.referrer).toEqual({ name: 'Test Teacher', role: 'Designated safeguarding lead', organisation: 'Test School' });
    expect(JSON.stringify(effect)).not.toContain('test.teacher@example.org');
  });

  it('after a category 3 screening, offers a coordinator and carries the result, not the narrative', () => {
    const c = conversation();
    screenToCategory3(c);
    expect(c.messages.map((m) => m.text).join('\n')).toMatch(/a CSE coordinator can talk the case through with you/);
    // The referral has started (a text question): asking for a coordinator still works, with the screening.
    expect(c.question().expects).toBe('text');
    c.answer('Talk to a coordinator', 'skip');
    const effect = c.effects.find((e) => e.kind === 'handoff.open');
    expect(effect?.payload).toMatchObject({ category: 3, urgency: 'same-day', pathway: expect.any(String), screeningId: expect.any(String) });
    expect(String(effect?.payload.summary)).toMatch(/^Screening \S+: category 3/);
    expect(String(effect?.payload.summary)).not.toMatch(/older boyfriend/);
  });

  it('does not offer a coordinator after a lower category', () => {
    const c = conversation();
    c.say('Is this exploitation?');
    answerUntil(c, { ...triageChild('14'), ...screeningAnswers('Nothing specific, just a feeling.'), 'screen-age': '14' });
    expect(c.messages.some((m) => m.value?.type === 'safeguarding.screeningResult')).toBe(true);
    expect(c.messages.map((m) => m.text).join('\n')).not.toMatch(/CSE coordinator can talk/);
  });

  it('answers "talk to a coordinator" at a question with buttons by leaving the flow for the handoff', () => {
    const c = conversation();
    c.say('Should I share this?');
    expect(c.question().expects).toBe('choice');
    c.say('talk to a coordinator');
    expect(c.question().id).toBe('handoff-note');
  });
});
