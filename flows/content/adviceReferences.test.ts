import { parseContentPack } from './loadPack';
import { gloucestershireParts } from './gloucestershire';

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The shipped parts with one part changed (by the end of its file name), as a lead might edit it. */
function partsWith(fileEnd: string, edit: (json: Json) => void) {
  return gloucestershireParts.map((part) => {
    if (!part.file.endsWith(fileEnd)) return part;
    const json = clone(part.json) as Json;
    edit(json);
    return { file: part.file, json };
  });
}

const contactsOf = (json: Json) => json.contacts as Json[];
const frontDoorOf = (json: Json) => contactsOf(json).find((c) => c.id === 'front-door') as Json;
const weeklyRule = (json: Json) => ((frontDoorOf(json).opening as Json).rules as Json[])[0];

describe('advice-line data in the content pack', () => {
  it('loads the shipped pack with opening hours, groups and bank holidays', () => {
    const pack = parseContentPack(gloucestershireParts);
    expect(Object.keys(pack.adviceLines ?? {})).toEqual(['danger', 'concern', 'crime', 'online', 'staff', 'adult', 'trafficking', 'radicalisation', 'consultation', 'children']);
    expect(pack.contacts.find((c) => c.id === 'emergency-duty-team')?.opening).toEqual({ kind: 'when-closed', contact: 'front-door' });
    expect(pack.contacts.find((c) => c.id === 'front-door')?.opening).toMatchObject({ kind: 'weekly', closedOnBankHolidays: true });
    expect(pack.contacts.find((c) => c.id === 'nspcc')?.opening).toMatchObject({ closedOnBankHolidays: false });
  });

  it.each([
    ['a time not HH:MM', (j: Json) => (weeklyRule(j).from = '8:00'), /times are HH:MM/],
    ['an hour past 23', (j: Json) => (weeklyRule(j).from = '25:00'), /times are HH:MM/],
    ['a rule closing before it opens', (j: Json) => (weeklyRule(j).to = '07:00'), /close after it opens/],
    ['a day that is not a weekday id', (j: Json) => (weeklyRule(j).days = ['monday']), /contacts\.1\.opening\.rules\.0\.days\.0/],
    ['a repeated day', (j: Json) => (weeklyRule(j).days = ['mon', 'mon']), /days must be unique/],
    ['an unknown opening kind', (j: Json) => (frontDoorOf(j).opening = { kind: 'sometimes' }), /contacts\.1\.opening/],
    ['a mistyped key', (j: Json) => ((frontDoorOf(j).opening as Json).closedOnBankHoliday = true), /closedOnBankHoliday/],
    ['a when-closed naming no contact', (j: Json) => (frontDoorOf(j).opening = { kind: 'when-closed', contact: 'nobody' }), /unknown contact "nobody"/],
    ['a when-closed chain', (j: Json) => (frontDoorOf(j).opening = { kind: 'when-closed', contact: 'emergency-duty-team' }), /itself "when-closed"/],
    [
      'a when-closed naming a contact without hours',
      (j: Json) => {
        delete (contactsOf(j).find((c) => c.id === 'childline') as Json).opening;
        frontDoorOf(j).opening = { kind: 'when-closed', contact: 'childline' };
      },
      /"childline" has no opening hours/,
    ],
  ])('rejects %s in core.json contacts', (_name, edit, message) => {
    expect(() => parseContentPack(partsWith('core.json', edit))).toThrow(message);
  });

  it.each([
    ['a date that does not exist', (j: Json) => ((j.bankHolidays as Json)['2026-02-30'] = 'Nonsense day'), /advice\.json: bankHolidays\.2026-02-30: dates are YYYY-MM-DD/],
    ['a date not YYYY-MM-DD', (j: Json) => ((j.bankHolidays as Json)['4 May 2026'] = 'Early May'), /dates are YYYY-MM-DD/],
    [
      'a group naming an unknown contact',
      (j: Json) => ((j.adviceLines as Json).concern = { label: 'x', contacts: ['nobody'] }),
      /adviceLines\.concern\.contacts\.0: unknown contact/,
    ],
    ['a contact in two groups', (j: Json) => ((j.adviceLines as Json).again = { label: 'x', contacts: ['nspcc'] }), /"nspcc" is listed twice/],
    ['a group id starting with a digit', (j: Json) => ((j.adviceLines as Json)['1st'] = { label: 'x', contacts: ['childline'] }), /start with a letter/],
    ['a missing advice message', (j: Json) => delete (j.messages as Json)['advice-closed'], /message "advice-closed" is required with adviceLines/],
  ])('rejects %s in advice.json', (_name, edit, message) => {
    expect(() => parseContentPack(partsWith('advice.json', edit))).toThrow(message);
  });

  it('rejects a bank holiday defined twice across parts, naming both files', () => {
    const extra = { file: 'flows/content/gloucestershire/extra.json', json: { bankHolidays: { '2026-05-04': 'Early May bank holiday' } } };
    expect(() => parseContentPack([...gloucestershireParts, extra])).toThrow(/extra\.json: bankHolidays\.2026-05-04: already defined in .*advice\.json/);
  });

  it('loads a pack without any advice-line data (all new fields are optional)', () => {
    // Without advice.json; with the parts that hold the words the service says (required in every pack).
    const core = gloucestershireParts.filter((p) => ['core', 'sources', 'service', 'notifications', 'referral'].some((part) => p.file.endsWith(`/${part}.json`)));
    const pack = parseContentPack(core);
    expect(pack.adviceLines).toEqual({});
    expect(pack.bankHolidays).toEqual({});
  });
});
