import { loadDefaultPack, parseContentPack } from '../content/loadPack';
import { gloucestershireParts } from '../content/gloucestershire';
import type { ContentPack } from '../content/packSchema';
import { callTokenUses } from '../content/packReferences';
import { createRuntime } from '../runtime';
import { callText, fillCallTokens } from './callTokens';

const pack = loadDefaultPack();
const at = (local: string) => new Date(local);
const frontDoor = 'the Children and Families Help Desk (MASH front door) on 01452 426565';
const duty = 'the Emergency Duty Team on 01452 614194, an answerphone: leave your number and they call you back; for what cannot wait until the next working day';

describe("{{call-now}}: the children's line to phone now, with its alternative in the same sentence", () => {
  it('Tuesday 10:00: the help desk, open now, and the duty team for when it is closed', () => {
    expect(fillCallTokens(pack, 'Phone {{call-now}}.', at('2026-03-03T10:00:00+00:00'))).toBe(`Phone ${frontDoor} (open now; when it is closed: ${duty}).`);
  });

  it('Saturday 23:00: the duty team first (answerphone, call-back), and when the help desk reopens', () => {
    expect(fillCallTokens(pack, 'Phone {{call-now}}.', at('2026-03-07T23:00:00+00:00'))).toBe(`Phone ${duty} (open now; ${frontDoor} opens Monday 9 March at 09:00).`);
  });

  it('a weekday at 08:30 (hours unconfirmed): both lines, "call either", neither said to be open', () => {
    const text = fillCallTokens(pack, 'Phone {{call-now}}.', at('2026-03-03T08:30:00+00:00'));
    expect(text).toBe(`Phone ${frontDoor}, or ${duty} (call either: I cannot be sure which one is answering just now).`);
    expect(text).not.toMatch(/open now|closed now/);
  });

  it('past the end of the bank-holiday table: "call either", never a guess', () => {
    const short: ContentPack = { ...pack, bankHolidays: Object.fromEntries(Object.entries(pack.bankHolidays ?? {}).filter(([d]) => d < '2027-01-01')) };
    expect(fillCallTokens(short, '{{call-now}}', at('2027-01-04T10:00:00+00:00'))).toMatch(/call either/);
    expect(fillCallTokens(short, '{{call-now}}', at('2027-01-04T20:00:00+00:00'))).toMatch(/^the Emergency Duty Team .*\(open now/);
  });

  it('bank holiday Monday 4 May 2026 at 10:00: the duty team, not the help desk', () => {
    expect(fillCallTokens(pack, '{{call-now}}', at('2026-05-04T10:00:00+01:00'))).toMatch(
      /^the Emergency Duty Team on 01452 614194.*\(open now; .*opens Tuesday 5 May at 09:00\)$/,
    );
  });
});

describe('{{call:CONTACT-ID}}', () => {
  it.each([
    ['police-non-emergency', 'the police non-emergency line on 101 (any time)'],
    ['ceop', 'the CEOP Safety Centre online at https://www.ceop.police.uk/Safety-Centre/ (any time)'],
    ['childline', 'Childline on 0800 1111 (any time)'],
  ])('%s', (id, words) => {
    expect(callText(pack, id, at('2026-03-07T23:00:00+00:00'))).toBe(words);
  });

  it('the LADO with its hours, its form address and its 24-hour response (no opening rules are claimed)', () => {
    expect(callText(pack, 'lado', at('2026-03-07T23:00:00+00:00'))).toBe(
      'the LADO (Allegations Management) on 01452 426994 (office hours; email the advice or referral form to amadmin@gloucestershire.gov.uk at any time; the LADO responds within 24 hours)',
    );
  });

  it('the adult help desk at night gives the adult duty team first, never the closed help desk alone', () => {
    const text = callText(pack, 'adult-helpdesk', at('2026-03-04T21:00:00+00:00'));
    expect(text).toMatch(
      /^the adult Emergency Duty Team on 01452 614758, out of hours only; .*\(open now; the Adult Social Care Help Desk on 01452 426868 opens Thursday 5 March at 09:00\)$/,
    );
  });

  it("fills every token of a text, and leaves a token naming no contact as typed (a professional's own words)", () => {
    const text = fillCallTokens(pack, '{{call:police-non-emergency}} / {{call:childline}} / {{call:nobody}}', at('2026-03-03T10:00:00Z'));
    expect(text).toBe('the police non-emergency line on 101 (any time) / Childline on 0800 1111 (any time) / {{call:nobody}}');
  });
});

describe('call tokens are checked when the pack loads', () => {
  const withText = (text: string, edit?: (core: Record<string, unknown>) => void) =>
    gloucestershireParts.map((part) => {
      if (!part.file.endsWith('notifications.json')) {
        if (!edit || !part.file.endsWith('core.json')) return part;
        const core = JSON.parse(JSON.stringify(part.json)) as Record<string, unknown>;
        edit(core);
        return { file: part.file, json: core };
      }
      const json = JSON.parse(JSON.stringify(part.json)) as { messages: Record<string, { text: string }> };
      json.messages['handoff-closed'].text = text;
      return { file: part.file, json };
    });

  it('a token naming no contact stops start-up with the file and the path', () => {
    expect(() => parseContentPack(withText('Phone {{call:ladoo}}.'))).toThrow(/notifications\.json: messages\.handoff-closed\.text: \{\{call:ladoo\}\} names no contact/);
  });

  it('a token naming a line that closes without an alternative stops start-up (R8.2)', () => {
    const noAlternative = (core: Record<string, unknown>) => {
      const nspcc = (core.contacts as Array<Record<string, unknown>>).find((c) => c.id === 'nspcc')!;
      delete nspcc.alternative;
    };
    expect(() => parseContentPack(withText('Phone {{call:nspcc}}.', noAlternative))).toThrow(/\{\{call:nspcc\}\} names a line that closes but has no "alternative"/);
  });

  it('{{call-now}} in a pack with no callNow stops start-up', () => {
    expect(() => parseContentPack(withText('Phone {{call-now}}.', (core) => delete core.callNow))).toThrow(/\{\{call-now\}\} needs "callNow"/);
  });

  it('an alternative naming no contact stops start-up', () => {
    const edit = (core: Record<string, unknown>) => ((core.contacts as Array<Record<string, unknown>>)[1].alternative = 'nobody');
    expect(() => parseContentPack(withText('Phone {{call-now}}.', edit))).toThrow(/core\.json: contacts\.front-door\.alternative: unknown contact "nobody"/);
  });
});

describe('through the runtime: every message is filled at the moment it is sent', () => {
  const runtime = createRuntime({ pack });
  const meta = (now: string) => ({ channelId: 'test', userId: 'u1', now: new Date(now) });

  it('"999" on a Saturday night: 999 first, then the duty team (answerphone) as the line to tell, not the closed help desk', () => {
    const started = runtime.runTurn(undefined, { kind: 'start' }, meta('2026-03-07T23:00:00Z'));
    const { messages } = runtime.runTurn(started.record, { kind: 'text', text: '999' }, meta('2026-03-07T23:00:00Z'));
    const emergency = messages[0].text;
    expect(emergency).toMatch(
      /^If a child or young person is in immediate danger, call 999 now\. When they are safe, tell the MASH: the Emergency Duty Team on 01452 614194, an answerphone/,
    );
    expect(emergency).toMatch(/- Anyone in immediate danger, or a child missing and at high risk: the police on 999 \(any time\)\./);
    expect(emergency).not.toMatch(/\{\{/);
    expect(emergency).not.toMatch(/Help Desk \(MASH front door\) on 01452 426565 \(open now/);
  });

  it('the same "999" on a Tuesday morning names the help desk open now and the duty team for later', () => {
    const started = runtime.runTurn(undefined, { kind: 'start' }, meta('2026-03-03T10:00:00Z'));
    const { messages } = runtime.runTurn(started.record, { kind: 'text', text: '999' }, meta('2026-03-03T10:00:00Z'));
    expect(messages[0].text).toMatch(
      /tell the MASH: the Children and Families Help Desk \(MASH front door\) on 01452 426565 \(open now; when it is closed: the Emergency Duty Team/,
    );
  });

  it('no message of a whole conversation start, help and menu leaves a token unfilled', () => {
    const started = runtime.runTurn(undefined, { kind: 'start' }, meta('2026-03-03T10:00:00Z'));
    const help = runtime.runTurn(started.record, { kind: 'text', text: 'help' }, meta('2026-03-03T10:00:00Z'));
    for (const message of [...started.messages, ...help.messages]) expect(message.text).not.toMatch(/\{\{call/);
  });
});

describe('every token in every pack text fills, at any time of the week', () => {
  const uses = callTokenUses(gloucestershireParts, pack);
  const moments = ['2026-03-03T10:00:00Z', '2026-03-03T08:30:00Z', '2026-03-07T23:00:00Z', '2026-05-04T10:00:00+01:00'].map((iso) => new Date(iso));

  it('the pack has tokens in core.json and notifications.json (C6: no day line named without its hours)', () => {
    expect(uses.map((u) => `${u.file.replace(/^.*\//, '')}: ${u.path}`)).toEqual(
      expect.arrayContaining(['core.json: messages.emergency.text', 'notifications.json: messages.referral-parked.text']),
    );
  });

  it.each(moments)('%s: no token is left, and a closed line is never named without an open or "call either" line beside it', (now) => {
    for (const { file, path } of uses) {
      const text = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], gloucestershireParts.find((p) => p.file === file)?.json);
      const filled = fillCallTokens(pack, String(text), now);
      expect(filled).not.toMatch(/\{\{call/);
      if (/is closed|closed now|opens /.test(filled)) expect(filled).toMatch(/open now|call either/);
    }
  });
});
