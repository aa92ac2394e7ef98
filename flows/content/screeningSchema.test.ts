import gloucestershire from './gloucestershire/screening.json';
import { loadDefaultPack, parseContentPack } from './loadPack';
import { screeningSectionSchema } from './screeningSchema';
import { gloucestershireParts } from './gloucestershire';

const section = (gloucestershire as { screening: Record<string, unknown> }).screening;
const indicators = section.indicators as Record<string, Record<string, unknown>>;
const problem = (changed: Record<string, unknown>) => {
  const parsed = screeningSectionSchema.safeParse({ ...section, ...changed });
  return parsed.success ? undefined : parsed.error.issues[0];
};

describe('screening section of the pack', () => {
  it('loads with the default pack', () => {
    expect(loadDefaultPack().screening?.thresholds['4']).toEqual({ critical: 1, significant: 3 });
  });

  it('needs words for every indicator id of the rule, and knows no others', () => {
    const { sexting: _gone, ...withoutSexting } = indicators;
    expect(problem({ indicators: withoutSexting })?.message).toMatch(/"sexting" needs words/);
    expect(problem({ indicators: { ...indicators, 'made-up': { label: 'Made up' } } })?.message).toMatch(/not an indicator id/);
  });

  it('offers every indicator in exactly one indicator question, except the missing ones, which have their own', () => {
    const asks = section.indicatorQuestions as Array<{ id: string; offers: string[] }>;
    const [people, ...rest] = asks;
    const withPeople = (offers: string[]) => problem({ indicatorQuestions: [{ ...people, offers }, ...rest] });
    expect(withPeople(people.offers.filter((id) => id !== 'vehicles'))?.message).toMatch(/"vehicles" is offered by no question/);
    expect(withPeople([...people.offers, 'homeless'])?.message).toMatch(/"homeless" is offered by "screen-people" already/);
    expect(withPeople([...people.offers, 'missing-now'])?.message).toMatch(/asked by the missing questions/);
    expect(withPeople([...people.offers, 'made-up'])?.message).toMatch(/not an indicator id/);
    expect(problem({ indicatorQuestions: [...asks, { id: 'screen-people', offers: [] }] })).toBeDefined();
    expect(problem({ indicatorQuestions: [...asks, { id: 'screen-people', offers: ['homeless'] }] })?.message).toMatch(/listed twice/);
  });

  it('refuses labels that a comma-separated answer would split', () => {
    const vehicles = { ...indicators.vehicles, label: 'Cars, vans and taxis' };
    expect(problem({ indicators: { ...indicators, vehicles } })?.message).toMatch(/must not contain/);
  });

  it('refuses unknown keys and thresholds without a count', () => {
    expect(problem({ threshold: {} })).toBeDefined();
    expect(problem({ thresholds: { ...(section.thresholds as object), 1: {} } })?.message).toMatch(/at least one count/);
  });

  it('checks that every source it names is a pack source', () => {
    const broken = { ...gloucestershire, screening: { ...section, placingAuthority: { text: 'Tell them.', source: 'nowhere' } } };
    const parts = gloucestershireParts.map((part) => (part.json === gloucestershire ? { ...part, json: broken } : part));
    expect(() => parseContentPack(parts)).toThrow(/screening\.placingAuthority\.source: unknown source "nowhere"/);
  });

  describe('the safety overrides', () => {
    const overrides = section.overrides as Array<Record<string, unknown>>;
    const steps = section.steps as Record<string, unknown>;
    const first = overrides[0];
    const withOverride = (changed: Record<string, unknown>) => problem({ overrides: [{ ...first, ...changed }, ...overrides.slice(1)] });

    it('are data in the pack: every row names real indicators, real steps and a source', () => {
      expect(withOverride({ when: { allOf: [['made-up']] } })?.message).toMatch(/"made-up" is not an indicator id/);
      expect(withOverride({ steps: ['phone-a-friend'] })).toBeDefined();
      expect(withOverride({ source: undefined })).toBeDefined();
      expect(withOverride({ category: 2 })).toBeDefined();
      expect(withOverride({ extra: true })).toBeDefined();
    });

    it('refuses a category 4 that is not immediate, an empty age range and a repeated id', () => {
      expect(withOverride({ category: 4, urgency: 'same-day' })?.message).toMatch(/category 4 is immediate/);
      expect(withOverride({ when: { allOf: [['sexting']], age: { from: 13, under: 13 } } })?.message).toMatch(/must not be empty/);
      expect(problem({ overrides: [...overrides, first] })?.message).toMatch(/defined twice/);
    });

    it('needs the words of every route step', () => {
      const { lado: _gone, ...withoutLado } = steps;
      expect(problem({ steps: withoutLado })).toBeDefined();
      expect(problem({ steps: { ...steps, 'made-up': { text: 'x', source: 'wt-2023' } } })).toBeDefined();
    });

    it('has no blanket under-13 floor any more', () => {
      expect(problem({ youngChild: { underAge: 13, minTotal: 1, floor: 2 } })).toBeDefined();
    });
  });
});
