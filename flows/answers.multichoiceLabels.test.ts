import { loadDefaultPack } from './content/loadPack';
import { parseAnswer } from './answers';

/**
 * Labels may contain "and" ("Sharing nudes and semi-nudes", guidance rules §11): a typed list still
 * splits on "and" between labels, never inside one.
 */
const pack = loadDefaultPack();
const choices = ['sexting', 'older-partner', 'vehicles'].map((id) => ({ value: id, title: pack.screening!.indicators[id].label, aliases: [] }));
const question = { text: 'Any of these?', expects: 'multichoice' as const, choices };

describe('multichoice labels with "and"', () => {
  it('reads a whole label containing "and" as one choice', () => {
    expect(parseAnswer(question, 'Sharing nudes and semi-nudes (between children)')).toEqual({ ok: true, value: ['sexting'] });
  });

  it('reads it inside a comma list, and still splits "and" between labels', () => {
    expect(parseAnswer(question, 'sharing nudes and semi-nudes (between children), older partner and vehicles driven by unknown adults')).toEqual({
      ok: true,
      value: ['sexting', 'older-partner', 'vehicles'],
    });
  });

  it('refuses a list with an unknown part rather than guessing', () => {
    expect(parseAnswer(question, 'older partner and something else')).toEqual({ ok: false });
  });
});
