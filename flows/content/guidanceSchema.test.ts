import { gloucestershireParts } from './gloucestershire';
import { loadDefaultPack, parseContentPack } from './loadPack';

const faq = { id: 'faq-need-consent', question: 'Again?', phrases: ['again'], text: 'Again.', source: 'is-2024' };
const withPart = (json: unknown) => parseContentPack([...gloucestershireParts, { file: 'extra.json', json }]);

describe('pack rules and FAQs', () => {
  it('loads the golden rules and FAQs of the shipped pack, each with a known source', () => {
    const pack = loadDefaultPack();
    expect(Object.keys(pack.rules)).toEqual(expect.arrayContaining(['golden-2024-1', 'golden-2024-7']));
    expect(pack.faqs.map((f) => f.id)).toEqual(expect.arrayContaining(['faq-need-consent', 'faq-tell-police', 'faq-gdpr-allow']));
    for (const item of [...Object.values(pack.rules), ...pack.faqs]) expect(pack.sources[item.source]).toBeDefined();
  });

  it('ships the seven golden rules of the 2024 advice and none of the replaced 2018 rules', () => {
    const pack = loadDefaultPack();
    expect(Object.keys(pack.rules)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `golden-2024-${n}`));
    for (const rule of Object.values(pack.rules)) expect(rule.source).toBe('is-2024');
    for (const item of [...Object.values(pack.rules), ...pack.faqs]) expect(pack.sources[item.source].supersededBy).toBeUndefined();
  });

  it('stops start-up on a FAQ defined twice', () => {
    expect(() => withPart({ faqs: [faq] })).toThrow(/faqs\.\d+\.id: faq "faq-need-consent" is defined twice/);
  });

  it('stops start-up on a rule or FAQ without a known source', () => {
    expect(() => withPart({ rules: { 'golden-x': { title: 'X', text: 'X.', source: 'nowhere' } } })).toThrow(/rules\.golden-x\.source: unknown source "nowhere"/);
    expect(() => withPart({ faqs: [{ ...faq, id: 'faq-other', source: undefined }] })).toThrow(/SG-CONTENT-INVALID/);
  });

  it('stops start-up on a mistyped key in a rule (strict, so nothing is silently dropped)', () => {
    expect(() => withPart({ rules: { 'golden-x': { title: 'X', text: 'X.', source: 'is-2024', applies: ['share'] } } })).toThrow(/SG-CONTENT-INVALID/);
  });

  it('stops start-up on a rule defined in two parts', () => {
    expect(() => withPart({ rules: { 'golden-2024-1': { title: 'X', text: 'X.', source: 'is-2024' } } })).toThrow(
      /already defined in flows\/content\/gloucestershire\/sharing\.json/,
    );
  });
});
