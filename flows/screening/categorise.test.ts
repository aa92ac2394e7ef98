import { loadDefaultPack } from '../content/loadPack';
import { categorise, countIndicators, pathwayFor, raiseCategory, resolveMissing, type Category, type Counts } from './categorise';
import { raise, screen } from './outcome';

const section = loadDefaultPack().screening!;
const counts = (critical: number, significant: number, total: number): Counts => ({ critical, significant, total });

describe('the category rule (pack defaults)', () => {
  // C = critical, S = significant, T = all risk indicators (significant included); every boundary of
  // C≥1→4; S≥3→4; S=2 or T≥5→3; S=1 or T≥3→2; T≥1→1; else 0.
  it.each<[number, number, number, Category]>([
    [0, 0, 0, 0],
    [0, 0, 1, 1],
    [0, 0, 2, 1],
    [0, 0, 3, 2],
    [0, 0, 4, 2],
    [0, 0, 5, 3],
    [0, 0, 9, 3],
    [0, 1, 1, 2],
    [0, 1, 4, 2],
    [0, 1, 5, 3],
    [0, 2, 2, 3],
    [0, 2, 9, 3],
    [0, 3, 3, 4],
    [0, 4, 4, 4],
    [1, 0, 0, 4],
    [1, 0, 1, 4],
    [2, 3, 9, 4],
  ])('C=%i S=%i T=%i at 15 is category %i', (c, s, t, expected) => {
    expect(categorise(counts(c, s, t), 15, section).category).toBe(expected);
  });

  it.each<[number | undefined, number, number, Category, string]>([
    [12, 0, 1, 2, 'young-child'],
    [12, 0, 2, 2, 'young-child'],
    [12, 0, 0, 0, 'none'],
    [13, 0, 1, 1, 'threshold'],
    [undefined, 0, 1, 1, 'threshold'],
    [12, 0, 5, 3, 'threshold'],
    [8, 3, 3, 4, 'threshold'],
  ])('under-13 floor: age %s, S=%i T=%i is category %i (%s)', (age, s, t, expected, basis) => {
    const result = categorise(counts(0, s, t), age, section);
    expect(result).toMatchObject({ category: expected, basis: { kind: basis } });
  });

  it('reads its thresholds from the pack', () => {
    const stricter = { ...section, thresholds: { ...section.thresholds, 2: { total: 4 } } };
    expect(categorise(counts(0, 0, 3), 15, section).category).toBe(2);
    expect(categorise(counts(0, 0, 3), 15, stricter).category).toBe(1);
    expect(categorise(counts(0, 1, 1), 15, stricter).category).toBe(1);
  });
});

describe('counting indicators', () => {
  it('weighs significant and critical indicators and ignores vulnerabilities', () => {
    expect(countIndicators(['older-partner', 'vehicles', 'sexting', 'homeless', 'disclosure'])).toEqual(counts(1, 2, 3));
  });

  it.each([
    [2, ['missing']],
    [3, ['missing-regular']],
    [undefined, ['missing']],
  ])('missing with %s episodes in 90 days counts as %j', (episodes, expected) => {
    expect(resolveMissing(['missing'], episodes, section)).toEqual(expected);
  });
});

describe('raising, never lowering', () => {
  it('raises with a reason', () => expect(raiseCategory(2, 3, 'pattern over months')).toBe(3));
  it.each([
    [2, 2],
    [3, 1],
    [4, 5],
  ])('refuses %i → %i', (from, to) => expect(() => raiseCategory(from as Category, to, 'why')).toThrow(/only be raised/));
  it('refuses a raise without a reason', () => expect(() => raiseCategory(1, 2, '  ')).toThrow(/needs a reason/));

  it('keeps the rule category as `from` across repeated raises', () => {
    const rule = screen({ age: 15, confirmed: ['sexting'] }, section);
    const once = raise(rule, rule.category, 'known to older males', false, section);
    const twice = raise(rule, once.category, 'seen getting into cars', false, section);
    expect([rule.category, once.category, twice.category]).toEqual([1, 2, 3]);
    expect(twice.raised).toEqual({ from: 1, reason: 'seen getting into cars' });
    expect(twice.pathway).toBe('mash-referral');
    expect(twice.urgency).toBe('same-day');
    expect(twice.rationale).toMatch(/^Category 3 \(moderate\): raised from category 1 .* The rule found one risk indicator, sending or being asked for sexual images\.$/);
  });
});

describe('pathway and urgency', () => {
  it.each<[Category, boolean, string[], string, string]>([
    [0, false, [], 'universal', 'routine'],
    [0, false, ['homeless'], 'early-help', 'routine'],
    [0, true, ['homeless'], 'universal', 'routine'],
    [1, false, [], 'early-help', 'routine'],
    [2, false, [], 'mash-referral', 'routine'],
    [3, false, [], 'mash-referral', 'same-day'],
    [4, false, [], 'mash-referral', 'immediate'],
    [2, true, [], 'adult-safeguarding', 'routine'],
    [4, true, [], 'adult-safeguarding', 'immediate'],
  ])('category %i (adult %s, vulnerabilities %j) → %s, %s', (category, adult, vulnerabilities, pathway, urgency) => {
    expect(pathwayFor(category, adult, vulnerabilities)).toEqual({ pathway, urgency });
  });
});

describe('the explained outcome', () => {
  it('names the indicators behind the category', () => {
    const outcome = screen({ age: 15, confirmed: ['vehicles', 'older-partner'] }, section);
    expect(outcome.rationale).toBe('Category 3 (moderate): two significant indicators, older partner and vehicles driven by unknown adults.');
    expect(outcome).toMatchObject({ category: 3, label: 'moderate', pathway: 'mash-referral', urgency: 'same-day', counts: counts(0, 2, 2) });
  });

  it('explains the young-child floor and lists vulnerabilities as context', () => {
    const outcome = screen({ age: 11, confirmed: ['online-contact', 'bullying'] }, section);
    expect(outcome.category).toBe(2);
    expect(outcome.rationale).toBe(
      'Category 2 (moderate): one risk indicator, worrying contact online, in a child under 13, so at least category 2. ' +
        'Vulnerabilities noted (they do not change the category): bullied in or out of school.',
    );
  });

  it('leads with a critical indicator and makes regular missing significant', () => {
    const outcome = screen({ age: 16, confirmed: ['missing', 'disclosure'], missingEpisodes: 4 }, section);
    expect(outcome.indicators.map((i) => [i.id, i.weight])).toEqual([
      ['disclosure', 'critical'],
      ['missing-regular', 'significant'],
    ]);
    expect(outcome.rationale).toBe('Category 4 (significant): one critical indicator, told someone of sexual harm or exploitation.');
  });

  it('gives a young adult the same reasoning on the adult pathway', () => {
    const outcome = screen({ age: 20, confirmed: ['vehicles', 'older-partner', 'isolated'] }, section);
    expect(outcome).toMatchObject({ category: 4, pathway: 'adult-safeguarding', urgency: 'immediate' });
  });
});
