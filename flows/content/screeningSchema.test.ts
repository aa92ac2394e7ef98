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

  it('puts each risk indicator in a group question, and nothing else', () => {
    expect(problem({ indicators: { ...indicators, vehicles: { label: 'Cars' } } })?.message).toMatch(/needs a group question/);
    expect(problem({ indicators: { ...indicators, homeless: { label: 'Homeless', question: 'screen-people' } } })?.message).toMatch(/not asked in a group/);
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
});
