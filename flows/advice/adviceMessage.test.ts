import { loadDefaultPack } from '../content/loadPack';
import type { ContentPack } from '../content/packSchema';
import { createRuntime } from '../runtime';
import type { OutgoingMessage } from '../protocol';
import { views } from '../views';
import { adviceServices } from './adviceLines';
import { adviceNowMessage } from './adviceMessage';

const pack = loadDefaultPack();

type Line = { openNow: boolean; nextOpen: string | null };
const statusOf = ({ openNow, nextOpen }: Line) => (openNow ? 'open' : nextOpen ? 'closed' : 'unknown');
const hoursOf = (id: string) => pack.contacts.find((c) => c.id === id)?.hours;
const services = (overrides: Record<string, Line>) => [
  { id: 'police-emergency', name: 'Police (emergency)', number: '999', openNow: true, nextOpen: null, status: 'open', hours: hoursOf('police-emergency') },
  {
    id: 'front-door',
    name: 'Children and Families Help Desk (MASH front door)',
    number: '01452 426565',
    ...overrides['front-door'],
    status: statusOf(overrides['front-door']),
    hours: hoursOf('front-door'),
  },
  {
    id: 'emergency-duty-team',
    name: 'Emergency Duty Team (out of hours)',
    number: '01452 614194',
    ...overrides['emergency-duty-team'],
    status: statusOf(overrides['emergency-duty-team']),
    hours: hoursOf('emergency-duty-team'),
  },
  { id: 'nspcc', name: 'NSPCC helpline', number: '0808 800 5000', ...overrides.nspcc, status: statusOf(overrides.nspcc), hours: hoursOf('nspcc') },
];
const pinned = ['police-emergency', 'front-door', 'emergency-duty-team', 'nspcc'];
/** The four lines the pinned-clock tests are about, in pack order (the other groups are tested below). */
const servicesOf = (value: unknown) => (value as { services: Array<{ id: string }> }).services.filter((s) => pinned.includes(s.id));
const edtNote = ' It is an answerphone: leave your number and they call you back; for what cannot wait until the next working day.';

/** The group of the text that starts with `label`, as its lines. */
function group(message: OutgoingMessage, label: RegExp): string[] {
  const block = message.text.split('\n\n').find((b) => label.test(b.split('\n')[0]));
  return block ? block.split('\n').slice(1) : [];
}

describe('"Who can I call?" with a pinned clock', () => {
  it('Monday 10:00: the front door now, the duty team from 17:00', () => {
    const message = adviceNowMessage(pack, new Date('2026-03-02T10:00:00Z'));
    expect(message.value).toMatchObject({ type: 'safeguarding.handoff', kind: 'advice-line' });
    expect(servicesOf(message.value)).toEqual(
      services({
        'front-door': { openNow: true, nextOpen: null },
        'emergency-duty-team': { openNow: false, nextOpen: '2026-03-02T17:00:00+00:00' },
        nspcc: { openNow: true, nextOpen: null },
      }),
    );
    expect(message.text).toMatch(/^Who to call now \(Monday 2 March at 10:00\):/);
    expect(group(message, /immediate danger/)).toEqual(['- Police (emergency): 999, any time.']);
    expect(group(message, /Worried about a child/)).toEqual([
      '- Children and Families Help Desk (MASH front door): 01452 426565, open now.',
      `- Emergency Duty Team (out of hours): 01452 614194, closed now; opens Monday 2 March at 17:00.${edtNote}`,
    ]);
    expect(group(message, /talk a concern through/)).toEqual(['- NSPCC helpline: 0808 800 5000, open now.']);
  });

  it('Friday 17:30: the duty team now, the front door on Monday at 09:00', () => {
    const message = adviceNowMessage(pack, new Date('2026-03-06T17:30:00Z'));
    expect(message.value).toMatchObject({ type: 'safeguarding.handoff', kind: 'advice-line' });
    expect(servicesOf(message.value)).toEqual(
      services({
        'front-door': { openNow: false, nextOpen: '2026-03-09T09:00:00+00:00' },
        'emergency-duty-team': { openNow: true, nextOpen: null },
        nspcc: { openNow: true, nextOpen: null },
      }),
    );
    expect(group(message, /Worried about a child/)).toEqual([
      `- Emergency Duty Team (out of hours): 01452 614194, open now.${edtNote}`,
      '- Children and Families Help Desk (MASH front door): 01452 426565, closed now; opens Monday 9 March at 09:00.',
    ]);
  });

  it('a Sunday evening in BST: the duty team now; the NSPCC at 08:00 and the front door at 09:00 on Monday (+01:00)', () => {
    const message = adviceNowMessage(pack, new Date('2026-06-07T19:00:00+01:00'));
    expect(servicesOf({ services: adviceServices(pack, new Date('2026-06-07T19:00:00+01:00')) })).toEqual(
      services({
        'front-door': { openNow: false, nextOpen: '2026-06-08T09:00:00+01:00' },
        'emergency-duty-team': { openNow: true, nextOpen: null },
        nspcc: { openNow: false, nextOpen: '2026-06-08T08:00:00+01:00' },
      }),
    );
    expect(message.text).toMatch(/Sunday 7 June at 19:00/);
    expect(group(message, /talk a concern through/)).toEqual(['- NSPCC helpline: 0808 800 5000, closed now; opens Monday 8 June at 08:00.']);
  });

  it('bank holiday Monday 4 May 2026, 10:00: the duty team, not the front door', () => {
    const message = adviceNowMessage(pack, new Date('2026-05-04T10:00:00+01:00'));
    expect(servicesOf(message.value)).toEqual(
      services({
        'front-door': { openNow: false, nextOpen: '2026-05-05T09:00:00+01:00' },
        'emergency-duty-team': { openNow: true, nextOpen: null },
        nspcc: { openNow: true, nextOpen: null },
      }),
    );
    expect(group(message, /Worried about a child/)[0]).toMatch(/^- Emergency Duty Team .*01452 614194, open now\. It is an answerphone/);
    expect(message.text).toMatch(/opens Tuesday 5 May at 09:00/);
  });

  it('Good Friday 2026: past the weekend and Easter Monday to Tuesday 09:00', () => {
    const message = adviceNowMessage(pack, new Date('2026-04-03T12:00:00+01:00'));
    expect(message.text).toMatch(/MASH front door\): 01452 426565, closed now; opens Tuesday 7 April at 09:00\./);
  });

  it('a winter Saturday (GMT) names the GMT offset in nextOpen', () => {
    const front = adviceServices(pack, new Date('2026-01-10T11:00:00Z')).find((s) => s.id === 'front-door');
    expect(front).toEqual(expect.objectContaining({ openNow: false, nextOpen: '2026-01-12T09:00:00+00:00' }));
  });

  it('uses the clock it is given, never the system clock', () => {
    jest.useFakeTimers({ now: new Date('2030-01-05T23:00:00Z') }); // a Saturday night: everything office-hours shut
    try {
      const [message] = views['advice-lines'](pack, undefined, { now: new Date('2026-03-02T10:00:00Z') });
      expect(message.text).toMatch(/MASH front door\): 01452 426565, open now/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('falls back to the plain contact list for a pack without advice lines', () => {
    const plain: ContentPack = { ...pack, adviceLines: undefined };
    const [message] = views['advice-lines'](plain, undefined, { now: new Date('2026-03-02T10:00:00Z') });
    expect(message.text).toMatch(/01452 426565 \(Monday to Friday, 9am to 5pm \(possibly from 8am\); closed on bank holidays\)/);
    expect(message.value).toBeUndefined();
  });
});

describe('"Who can I call?" lists every route of guidance rules section 7 (M2)', () => {
  const message = adviceNowMessage(pack, new Date('2026-03-02T10:00:00Z'));

  it.each([
    [/not an emergency/, '- Police (non-emergency): 101, any time.'],
    [/Online sexual abuse/, '- CEOP Safety Centre: report online at https://www.ceop.police.uk/Safety-Centre/, any time.'],
    [/works or volunteers with children/, /^- LADO \(Allegations Management\): 01452 426994 \(office hours; email the advice or referral form to amadmin@gloucestershire\.gov\.uk/],
    [/adult at risk/, '- Adult Social Care Help Desk: 01452 426868, open now.'],
    [/modern slavery/, /^- Modern Slavery Helpline: 08000 121 700 /],
    [/Radicalisation/, /^- Anti-terrorist hotline: 0800 789 321 /],
    [/children and young people themselves/, '- Childline: 0800 1111, any time.'],
  ])('%s', (label, first) => {
    const lines = group(message, label);
    if (typeof first === 'string') expect(lines[0]).toBe(first);
    else expect(lines[0]).toMatch(first);
  });

  it('never shows a made-up number for CEOP: its value carries the web address', () => {
    expect((message.value as { services: Array<{ id: string; number: string }> }).services.find((s) => s.id === 'ceop')?.number).toBe('https://www.ceop.police.uk/Safety-Centre/');
  });
});

describe('"call either" when nobody can say which line answers (C4, R8.4)', () => {
  it("a weekday at 08:30 (help desk 8am or 9am unconfirmed): both children's lines, neither claimed open or closed", () => {
    const message = adviceNowMessage(pack, new Date('2026-03-03T08:30:00Z'));
    const lines = group(message, /Worried about a child/);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/may or may not be answering just now \(call either line in this group\)/);
    expect(servicesOf(message.value).filter((s) => s.id !== 'police-emergency' && s.id !== 'nspcc')).toEqual([
      expect.objectContaining({ id: 'front-door', openNow: false, nextOpen: null, status: 'unknown' }),
      expect.objectContaining({ id: 'emergency-duty-team', openNow: false, nextOpen: null, status: 'unknown' }),
    ]);
  });

  it('a weekday after the bank-holiday table ends: both lines as "call either", and the adult lines too', () => {
    const short: ContentPack = { ...pack, bankHolidays: Object.fromEntries(Object.entries(pack.bankHolidays ?? {}).filter(([d]) => d < '2027-01-01')) };
    const message = adviceNowMessage(short, new Date('2027-01-04T11:00:00Z'));
    expect(group(message, /Worried about a child/).every((line) => /call either/.test(line))).toBe(true);
    expect(group(message, /adult at risk/).every((line) => /call either/.test(line))).toBe(true);
    expect(message.text).not.toMatch(/01452 426565, (open|closed) now/);
  });
});

describe('"Who can I call?" through the runtime', () => {
  const runtime = createRuntime({ pack });

  it('answers from the menu with one advice-line message on the turn clock, then asks the menu again', () => {
    const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-06T17:30:00Z') };
    const started = runtime.runTurn(undefined, { kind: 'start' }, meta);
    const { messages } = runtime.runTurn(started.record, { kind: 'text', text: 'Who can I call?' }, meta);
    expect(messages).toHaveLength(2);
    expect(messages[0].value).toMatchObject({ type: 'safeguarding.handoff', kind: 'advice-line' });
    expect(messages[0].text).toMatch(/Emergency Duty Team \(out of hours\): 01452 614194, open now/);
    expect(messages[1].value).toMatchObject({ type: 'safeguarding.question', id: 'menu' });
  });
});
