import { gloucestershireParts } from './gloucestershire';
import { citedSources } from './packReferences';
import { loadDefaultPack } from './loadPack';

/**
 * Provably current (issue 17, item 7): no text shown to a professional may cite a source the register
 * marks as replaced (`supersededBy`), and every cited id must be in the register. The walk covers every
 * `source` in every part (messages, questions with help and re-asks, contacts, screening pathways,
 * overrides and steps, referral texts, rules, FAQs), so texts added later are covered without a list.
 */
describe('every pack text cites a current source from the register', () => {
  const pack = loadDefaultPack();
  const cited = citedSources(gloucestershireParts);

  it('finds the citations (the walk reaches every part)', () => {
    const files = new Set(cited.map((c) => c.file.replace(/^.*\//, '')));
    for (const file of ['core.json', 'sharing.json', 'screening.json', 'referral.json', 'notifications.json']) expect(files).toContain(file);
  });

  it('names no unknown source', () => {
    const unknown = cited.filter((c) => !pack.sources[c.value]).map((c) => `${c.file}: ${c.path}: "${c.value}"`);
    expect(unknown).toEqual([]);
  });

  it('cites no superseded source', () => {
    const superseded = cited
      .filter((c) => pack.sources[c.value]?.supersededBy)
      .map((c) => `${c.file}: ${c.path}: "${c.value}" (superseded by "${pack.sources[c.value].supersededBy}")`);
    expect(superseded).toEqual([]);
  });
});
