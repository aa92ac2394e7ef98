import { loadDefaultPack } from '../../content/loadPack';
import { lawfulBasisCodes, lawfulBasisCodesFor, lawfulBasisMessageKey, lawfulBasisWords, orgKinds, type LawfulBasisInput } from './lawfulBasis';

const pack = loadDefaultPack();

/** Every input the referral or the sharing flow could give. */
const inputs: LawfulBasisInput[] = orgKinds.flatMap((orgKind) =>
  [false, true].flatMap((emergency) => [false, true].flatMap((statutoryDuty) => [false, true].map((crime) => ({ orgKind, emergency, statutoryDuty, crime, identifies: true })))),
);

describe('lawfulBasisCodesFor (guidance rules §3)', () => {
  it('a public body: Art 6(1)(e), para 18 for special category data, para 18 via para 36 for criminal offence data', () => {
    expect(lawfulBasisCodesFor({ orgKind: 'public-body', identifies: true })).toEqual(['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36']);
  });

  it('another organisation: the recognised legitimate interest for safeguarding, Annex 1 para 6', () => {
    expect(lawfulBasisCodesFor({ orgKind: 'other-organisation', identifies: true })).toEqual([
      'uk-gdpr-6-1-ea:annex1-6',
      'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18',
      'dpa-s10-5+sch1-p18+pt3-p36',
    ]);
  });

  it('an emergency: vital interests first, with the public task or (ea) Annex 1 para 3, and Art 9(2)(c)', () => {
    expect(lawfulBasisCodesFor({ orgKind: 'public-body', emergency: true, identifies: true })).toEqual(['uk-gdpr-6-1-d', 'uk-gdpr-6-1-e', 'uk-gdpr-9-2-c', 'dpa-s10-5+sch1-p30']);
    expect(lawfulBasisCodesFor({ orgKind: 'other-organisation', emergency: true, identifies: true })).toEqual([
      'uk-gdpr-6-1-d',
      'uk-gdpr-6-1-ea:annex1-3',
      'uk-gdpr-9-2-c',
      'dpa-s10-5+sch1-p30',
    ]);
  });

  it('a statutory duty to report: legal obligation and the statutory-purposes condition, for any organisation', () => {
    for (const orgKind of orgKinds) {
      expect(lawfulBasisCodesFor({ orgKind, statutoryDuty: true, identifies: true })).toEqual(['uk-gdpr-6-1-c', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p6', 'dpa-s10-5+sch1-p6']);
    }
  });

  it('sharing to prevent or detect a crime: criminal offence data under para 10', () => {
    expect(lawfulBasisCodesFor({ orgKind: 'public-body', crime: true, identifies: true })).toContain('dpa-s10-5+sch1-p10');
  });

  it('nothing identifying: no codes, whatever else is true', () => {
    for (const input of inputs) expect(lawfulBasisCodesFor({ ...input, identifies: false })).toEqual([]);
  });

  it('never gives a public body (ea) or (f), and always gives an Art 6, an Art 9 and an Art 10 code', () => {
    for (const input of inputs) {
      const codes = lawfulBasisCodesFor(input);
      if (input.orgKind === 'public-body') expect(codes.filter((c) => /6-1-(ea|f)/.test(c))).toEqual([]);
      expect(codes.filter((c) => c.startsWith('uk-gdpr-6-')).length).toBeGreaterThan(0);
      expect(codes.filter((c) => c.startsWith('uk-gdpr-9-'))).toHaveLength(1);
      expect(codes.filter((c) => c.startsWith('dpa-s10-5'))).toHaveLength(1);
    }
  });
});

describe('lawfulBasisWords', () => {
  it('has words in the pack for every code, each citing a current source, with distinct message keys', () => {
    const keys = lawfulBasisCodes.map(lawfulBasisMessageKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      const message = pack.messages[key];
      expect(message?.text).toBeTruthy();
      expect(pack.sources[message.source!]?.supersededBy).toBeUndefined();
    }
  });

  it('reads as citations in words, with no code in them, and fits the MASH contract (500 characters)', () => {
    for (const input of inputs) {
      const words = lawfulBasisWords(pack, lawfulBasisCodesFor(input));
      expect(words).not.toMatch(/uk-gdpr-|dpa-s10|sch1|\+/);
      expect(words.length).toBeLessThanOrEqual(500);
    }
    expect(lawfulBasisWords(pack, lawfulBasisCodesFor({ orgKind: 'other-organisation', identifies: true }))).toBe(
      'UK GDPR Article 6(1)(ea) recognised legitimate interest, Annex 1 paragraph 6 (safeguarding a vulnerable individual), or Article 6(1)(f) if your organisation uses that; ' +
        'Article 9(2)(g) with Data Protection Act 2018 section 10(3) and Schedule 1 paragraph 18 (safeguarding of children and individuals at risk); ' +
        'Data Protection Act 2018 section 10(5) with Schedule 1 paragraph 18 as applied by paragraph 36 (criminal offence data)',
    );
  });

  it('says "not applicable" only for no codes, and refuses a code the pack has no words for', () => {
    expect(lawfulBasisWords(pack, [])).toMatch(/^not applicable: nothing you share identifies anyone/);
    expect(() => lawfulBasisWords(pack, ['uk-gdpr-6-1-z'])).toThrow(/basis-uk-gdpr-6-1-z/);
  });
});
