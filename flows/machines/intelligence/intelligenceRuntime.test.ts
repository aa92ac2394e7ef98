import { intelligenceBodySchema } from '../../../integrations/mash/mashContract';
import { conversation } from '../referral/referralTestKit';

// The MASH contract's schema is imported here, in a test only: flows/ imports nothing from integrations/.

describe('sharing intelligence through the runtime', () => {
  it('sends VOLT intelligence from the menu, with its source, through the outbox', () => {
    const c = conversation();
    const intro = c.say('Share intelligence');
    expect(intro.messages[0].text).toMatch(/^Share intelligence with the MASH/);
    expect(c.question()).toMatchObject({ id: 'intel-victims', expects: 'text' });
    c.answer('Two girls about 14 from Test School', 'skip', 'Grey Audi, part plate WR17, outside the chip shop on London Road');
    expect(c.question().choices?.map((choice) => choice.value)).toEqual(['cse', 'cce', 'missing', 'trafficking', 'online', 'peer-on-peer', 'gangs', 'other']);
    c.answer('1, missing', 'Teacher', 'Test School', 'test.teacher@example.org');
    expect(c.question().id).toBe('intel-confirm');
    expect(c.lastText()).toMatch(/Victims: Two girls about 14 from Test School\nLocations and vehicles: Grey Audi[^\n]*\nThemes: Child sexual exploitation; Going missing\n- Your name: Test Teacher/);
    const sent = c.say('Send it');
    expect(sent.messages[0].value).toEqual({ type: 'safeguarding.intelligenceShared', clientReference: expect.stringMatching(/^SGI-[0-9A-F]{12}$/), status: 'queued' });
    const [outbox, audit] = sent.effects;
    expect(outbox).toMatchObject({ kind: 'outbox.enqueue', id: sent.messages[0].value!.clientReference, payload: { kind: 'intelligence' } });
    const body = intelligenceBodySchema.parse(outbox.payload.body);
    expect(body).toMatchObject({
      channel: 'webchat',
      source: { name: 'Test Teacher', role: 'Teacher', organisation: 'Test School', email: 'test.teacher@example.org' },
      volt: { victims: 'Two girls about 14 from Test School', locations: 'Grey Audi, part plate WR17, outside the chip shop on London Road', themes: ['cse', 'missing'] },
    });
    expect(body.volt.offenders).toBeUndefined();
    expect(audit).toEqual({ kind: 'audit.append', id: body.clientReference, payload: { recordType: 'intelligence', clientReference: body.clientReference, themes: ['cse', 'missing'], recordedAt: body.submittedAt } });
    expect(c.question().id).toBe('menu');
  });

  it('starts from free text that mentions intelligence, though "share" alone means information sharing', () => {
    const c = conversation();
    c.say('I want to share some intelligence about a car');
    expect(c.question().id).toBe('intel-victims');
  });

  it('sends nothing when every VOLT answer is skipped, or on cancel', () => {
    const empty = conversation();
    const skipped = empty.answer('Share intelligence', 'skip', 'skip', 'skip');
    expect(skipped[3].messages[0].text).toMatch(/nothing to send yet/);
    expect(empty.question().id).toBe('menu');
    const cancelled = conversation({ userRole: 'DSL', userOrganisation: 'Test School', userEmail: 'test.teacher@example.org' });
    cancelled.answer('Share intelligence', 'skip', 'Man called Jay', 'skip', 'gangs');
    expect(cancelled.question().id).toBe('intel-confirm');
    cancelled.answer('Cancel, do not send');
    expect([...empty.effects, ...cancelled.effects]).toEqual([]);
  });
});
