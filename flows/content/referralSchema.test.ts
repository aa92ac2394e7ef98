import { concernCategoriesV2 } from '../referral/contract';
import { createReferralMachine } from '../machines/referral/referralMachine';
import { gloucestershireParts } from './gloucestershire';
import referralPart from './gloucestershire/referral.json';
import { loadDefaultPack, parseContentPack } from './loadPack';
import { questionSchema } from './packSchema';
import { referralSectionSchema } from './referralSchema';

const section = (referralPart as { referral: Record<string, unknown> }).referral;
const categories = section.concernCategories as Record<string, Record<string, unknown>>;
const problem = (changed: Record<string, unknown>) => {
  const parsed = referralSectionSchema.safeParse({ ...section, ...changed });
  return parsed.success ? undefined : parsed.error.issues[0];
};
const withPart = (part: Record<string, unknown>) => gloucestershireParts.map((p) => (p.file.endsWith('referral.json') ? { ...p, json: part } : p));

describe('referral section of the pack', () => {
  it('loads with the default pack', () => {
    const pack = loadDefaultPack();
    expect(Object.keys(pack.referral!.concernCategories)).toEqual([...concernCategoriesV2]);
    expect(pack.questions.menu.choices?.map((c) => c.value)).toContain('intelligence');
  });

  it('needs every concern category of the contract, knows no others, and maps only real indicator ids', () => {
    const { gangs: _gone, ...withoutGangs } = categories;
    expect(problem({ concernCategories: withoutGangs })).toBeDefined();
    expect(problem({ concernCategories: { ...categories, bullying: { label: 'Bullying' } } })).toBeDefined();
    expect(problem({ concernCategories: { ...categories, cse: { label: 'CSE', indicators: ['made-up'] } } })?.message).toMatch(/not a screening indicator id/);
  });

  it('refuses category labels a comma-separated answer would split, and unknown keys', () => {
    expect(problem({ concernCategories: { ...categories, gangs: { label: 'Gangs and knives' } } })?.message).toMatch(/must not contain/);
    expect(problem({ tools: 'x' })).toBeDefined();
  });

  it('checks that its lawful basis names a pack source', () => {
    const broken = { ...referralPart, referral: { ...section, lawfulBasis: { text: 'Public task.', source: 'nowhere' } } };
    expect(() => parseContentPack(withPart(broken))).toThrow(/referral\.lawfulBasis\.source: unknown source "nowhere"/);
  });

  it('stops the referral flow from starting when a word it needs is missing', () => {
    const pack = loadDefaultPack();
    const { 'ref-filed': _gone, ...messages } = pack.messages;
    expect(() => createReferralMachine({ ...pack, messages })).toThrow(/message "ref-filed" is needed by the referral flow/);
    const consent = { ...pack.questions['ref-consent-status'], choices: pack.questions['ref-consent-status'].choices!.slice(1) };
    expect(() => createReferralMachine({ ...pack, questions: { ...pack.questions, 'ref-consent-status': consent } })).toThrow(/exactly the consent choices/);
  });
});

describe('question fields for validated and optional answers', () => {
  it('lets an optional question be skipped only with a "skip" choice', () => {
    expect(questionSchema.safeParse({ text: 'NHS number?', expects: 'text', optional: true }).success).toBe(false);
    expect(questionSchema.safeParse({ text: 'NHS number?', expects: 'text', optional: true, choices: [{ value: 'skip', title: 'Skip' }] }).success).toBe(true);
  });

  it('takes a known validator on text, date and number questions only', () => {
    expect(questionSchema.safeParse({ text: 'Email?', expects: 'text', validator: 'email' }).success).toBe(true);
    expect(questionSchema.safeParse({ text: 'Email?', expects: 'text', validator: 'phone' }).success).toBe(false);
    expect(questionSchema.safeParse({ text: 'Pick', expects: 'choice', choices: [{ value: 'a', title: 'A' }], validator: 'email' }).success).toBe(false);
  });
});
