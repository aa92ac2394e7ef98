import { loadDefaultPack } from '../content/loadPack';
import { categorise, countIndicators, pathwayFor, raiseCategory, resolveMissing, type Category, type Counts } from './categorise';
import { raise, screen } from './outcome';

const section = loadDefaultPack().screening!;
const counts = (critical: number, significant: number, total: number): Counts => ({ critical, significant, total });
const noOverride = { fired: [], steps: [] };

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
    expect(categorise(counts(c, s, t), noOverride, section).category).toBe(expected);
  });

  // Review C5: the blanket under-13 floor is gone. A young child's single mild sign is category 1 like
  // anyone's (the safety overrides, not a floor, deal with what is serious at a young age).
  it.each<[number | undefined, string[], Category]>([
    [9, ['behaviour-change'], 1],
    [12, ['online-contact'], 1],
    [12, [], 0],
    [8, ['older-partner', 'vehicles', 'isolated'], 4],
  ])('no age floor: age %s with %j is category %i', (age, confirmed, expected) => {
    expect(screen({ age, confirmed }, section).category).toBe(expected);
  });

  it('takes the higher of the override and the count, never the lower', () => {
    const override = {
      fired: [{ id: 'older-partner-13-15', category: 3 as const, urgency: 'same-day' as const, steps: [] }],
      category: 3 as const,
      urgency: 'same-day' as const,
      steps: [],
    };
    expect(categorise(counts(0, 0, 1), override, section)).toEqual({ category: 3, basis: { kind: 'threshold', measure: 'total', count: 1 }, overrides: ['older-partner-13-15'] });
    expect(categorise(counts(1, 0, 0), override, section).category).toBe(4);
  });

  it('reads its thresholds from the pack', () => {
    const stricter = { ...section, thresholds: { ...section.thresholds, 2: { total: 4 } } };
    expect(categorise(counts(0, 0, 3), noOverride, section).category).toBe(2);
    expect(categorise(counts(0, 0, 3), noOverride, stricter).category).toBe(1);
    expect(categorise(counts(0, 1, 1), noOverride, stricter).category).toBe(1);
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
    expect(twice.rationale).toMatch(/^Category 3 \(moderate\): raised from category 1 .* The rule found one risk indicator, sharing nudes and semi-nudes \(between children\)\.$/);
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
    const outcome = screen({ age: 16, confirmed: ['vehicles', 'older-partner'] }, section);
    expect(outcome.rationale).toBe('Category 3 (moderate): two significant indicators, older partner and vehicles driven by unknown adults.');
    expect(outcome).toMatchObject({ category: 3, label: 'moderate', pathway: 'mash-referral', urgency: 'same-day', counts: counts(0, 2, 2), overrides: { fired: [] } });
  });

  it('names the safety rule that fired before the indicators it counted', () => {
    const outcome = screen({ age: 14, confirmed: ['older-partner'] }, section);
    expect(outcome).toMatchObject({ category: 3, urgency: 'same-day', overrides: { fired: [{ id: 'older-partner-13-15' }], steps: ['police-101', 'mash-today'] } });
    expect(outcome.rationale).toMatch(
      /^Category 3 \(moderate\): a safety rule applies\. A 13 to 15-year-old with an older partner .* The indicators found: one significant indicator, older partner\.$/,
    );
  });

  it('rates a young child by the same count (no floor) and lists vulnerabilities as context', () => {
    const outcome = screen({ age: 11, confirmed: ['online-contact', 'bullying'] }, section);
    expect(outcome.category).toBe(1);
    expect(outcome.rationale).toBe(
      'Category 1 (mild): one risk indicator, worrying contact online. Vulnerabilities noted (they do not change the category): bullied in or out of school.',
    );
  });

  it('leads with the disclosure rule and makes regular missing significant', () => {
    const outcome = screen({ age: 16, confirmed: ['missing', 'disclosure'], missingEpisodes: 4 }, section);
    expect(outcome.indicators.map((i) => [i.id, i.weight])).toEqual([
      ['disclosure', 'critical'],
      ['missing-regular', 'significant'],
    ]);
    expect(outcome).toMatchObject({ category: 4, urgency: 'immediate', overrides: { fired: [{ id: 'disclosure' }] } });
    expect(outcome.overrides.steps).toEqual(['police-now', 'mash-now', 'strategy-discussion', 'disclosure-response']);
    expect(outcome.rationale).toMatch(
      /^Category 4 \(significant\): a safety rule applies\. The child has told someone .* The indicators found: one critical indicator, told someone of sexual harm or exploitation\.$/,
    );
  });

  it('gives a young adult the same reasoning on the adult pathway', () => {
    const outcome = screen({ age: 20, confirmed: ['vehicles', 'older-partner', 'isolated'] }, section);
    expect(outcome).toMatchObject({ category: 4, pathway: 'adult-safeguarding', urgency: 'immediate' });
  });
});
