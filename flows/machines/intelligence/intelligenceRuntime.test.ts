import { expect } from '@jest/globals';
import { intelligenceBodySchema } from '../../referral/contractMessages';
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
    expect(c.lastText()).toMatch(
      /Victims: Two girls about 14 from Test School\nLocations and vehicles: Grey Audi[^\n]*\nThemes: Child sexual exploitation; Going missing\n- Your name: Test Teacher/,
    );
    const sent = c.say('Send it');
    expect(sent.messages[0].value).toEqual({ type: 'safeguarding.intelligenceShared', clientReference: expect.stringMatching(/^SGI-[0-9A-F]{12}$/), status: 'queued' });
    const [outbox, audit] = sent.effects;
    expect(outbox).toMatchObject({ kind: 'outbox.enqueue', id: sent.messages[0].value!.clientReference, payload: { kind: 'intelligence' } });
    const body = intelligenceBodySchema.parse(sent.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body).toMatchObject({
      channel: 'webchat',
      source: { name: 'Test Teacher', role: 'Teacher', organisation: 'Test School', email: 'test.teacher@example.org' },
      volt: { victims: 'Two girls about 14 from Test School', locations: 'Grey Audi, part plate WR17, outside the chip shop on London Road', themes: ['cse', 'missing'] },
    });
    expect(body.volt.offenders).toBeUndefined();
    expect(audit).toEqual({
      kind: 'audit.append',
      id: body.clientReference,
      payload: { recordType: 'intelligence', clientReference: body.clientReference, themes: ['cse', 'missing'], recordedAt: body.submittedAt },
    });
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

  it('with REFERRALS=phone queues nothing: the police non-emergency line, the record to read from, and the audit of its themes only', () => {
    const c = conversation({}, { referrals: 'phone', startHourUtc: 20 });
    c.answer('Share intelligence', 'Two girls about 14 from Test School', 'skip', 'Grey Audi, part plate WR17', '1', 'Teacher', 'Test School', 'test.teacher@example.org');
    expect(c.question().id).toBe('intel-confirm');
    const sent = c.say('Send it');
    const [told, record] = sent.messages;
    expect(told.value).toEqual({ type: 'safeguarding.intelligenceShared', clientReference: expect.stringMatching(/^SGI-[0-9A-F]{12}$/), status: 'phone' });
    const reference = String(told.value!.clientReference);
    // Never "queued": with no intake API it would wait for ever. The line is filled for the time it is said.
    expect(told.text).not.toMatch(/queued/i);
    expect(told.text).toMatch(/nothing has been sent/);
    expect(told.text).toMatch(/101/);
    expect(told.text).not.toContain('{{');
    expect(told.text).toContain(`quoting ${reference}`);
    expect(record.value).toEqual({ type: 'safeguarding.intelligenceRecord', clientReference: reference, delivery: 'phone' });
    expect(record.text).toMatch(new RegExp(`^Intelligence record ${reference}, made 02/03/2026, 20:\\d\\d\\.`));
    expect(record.text).toContain('Victims: Two girls about 14 from Test School');
    expect(sent.effects).toEqual([
      {
        kind: 'audit.append',
        id: reference,
        payload: { recordType: 'intelligence', clientReference: reference, themes: ['cse'], recordedAt: expect.any(String), delivery: 'phone' },
      },
    ]);
    expect(c.question().id).toBe('menu');
  });
});
