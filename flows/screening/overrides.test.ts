import { loadDefaultPack } from '../content/loadPack';
import { routeSteps } from '../vocabulary/triage';
import { evaluateOverrides, stepsText } from './overrides';

const pack = loadDefaultPack();
const section = pack.screening!;
const fired = (age: number | undefined, ...facts: string[]) => evaluateOverrides({ age, facts }, section);

describe('the safety overrides (rules §6.2)', () => {
  // One row per rule of §6.2 about a child's facts: the facts, the age, and what must be fixed.
  it.each<[string, number | undefined, string[], 3 | 4, string, string[]]>([
    ['sexual activity under 13', 12, ['sexual-activity'], 4, 'immediate', ['police-now', 'mash-now']],
    ['emergency contraception under 13', 12, ['sexual-health'], 4, 'immediate', ['police-now', 'mash-now']],
    ['an older partner under 13', 11, ['older-partner'], 4, 'immediate', ['police-now', 'mash-now']],
    ['an adult asking for images, any age', 16, ['adult-image-request'], 4, 'immediate', ['police-now', 'ceop', 'never-view-images', 'mash-now']],
    ['an adult asking for images, age unknown', undefined, ['adult-image-request'], 4, 'immediate', ['ceop', 'never-view-images']],
    ['nudes under 13', 12, ['sexting'], 4, 'immediate', ['police-now', 'never-view-images']],
    ['nudes under coercion', 15, ['nudes-coercion'], 3, 'same-day', ['never-view-images', 'mash-today']],
    ['nudes showing unusual acts', 15, ['nudes-extreme'], 3, 'same-day', ['never-view-images', 'mash-today']],
    ['nudes with self-harm', 15, ['sexting', 'self-harm'], 3, 'same-day', ['never-view-images', 'mash-today']],
    ['a disclosure', 16, ['disclosure'], 4, 'immediate', ['police-now', 'mash-now', 'disclosure-response']],
    ['an exchange', 16, ['exchange'], 4, 'immediate', ['police-101', 'mash-now']],
    ['county lines', 15, ['trafficked'], 4, 'immediate', ['police-101', 'mash-now', 'nrm']],
    ['drug running with a weapon', 15, ['drug-running', 'weapons'], 4, 'immediate', ['police-now', 'mash-now', 'nrm']],
    ['offending under threat', 15, ['offending', 'threats-violence'], 4, 'immediate', ['police-now', 'nrm']],
    ['drug running for a debt', 15, ['drug-running', 'debt-bondage'], 4, 'immediate', ['police-now', 'nrm']],
    ['a debt enforced by threats', 15, ['debt-bondage', 'threats-violence'], 4, 'immediate', ['police-now', 'nrm']],
    ['an older partner at 13', 13, ['older-partner'], 3, 'same-day', ['mash-today', 'police-101']],
    ['an older partner at 15', 15, ['older-partner'], 3, 'same-day', ['mash-today', 'police-101']],
    ['missing now', 14, ['missing-now'], 4, 'immediate', ['call-999', 'missing-police-report', 'return-home-interview']],
  ])('%s: at least category %i, %s, with its steps', (_name, age, facts, category, urgency, steps) => {
    const result = fired(age, ...facts);
    expect(result.fired.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ category, urgency });
    expect(result.steps).toEqual(expect.arrayContaining(steps));
  });

  it.each<[string, number | undefined, string[]]>([
    ['sexual activity at 16', 16, ['sexual-activity']],
    ['an older partner at 16', 16, ['older-partner']],
    ['an older partner, age unknown', undefined, ['older-partner']],
    ['nudes between 15-year-olds', 15, ['sexting']],
    ['a weapon alone', 15, ['weapons']],
    ['drug running alone', 15, ['drug-running']],
    ['a disclosure at 19 (the adult route decides)', 19, ['disclosure']],
    ['nothing', 10, []],
  ])('%s: no override', (_name, age, facts) => {
    expect(fired(age, ...facts)).toEqual({ fired: [], steps: [] });
  });

  it('keeps the highest of several, every step once, in the order steps are shown', () => {
    const result = fired(14, 'older-partner', 'trafficked', 'disclosure');
    expect(result.fired.map((f) => f.id)).toEqual(['disclosure', 'trafficked', 'older-partner-13-15']);
    expect(result).toMatchObject({ category: 4, urgency: 'immediate' });
    expect(result.steps).toEqual(routeSteps.filter((step) => result.steps.includes(step)));
    expect(new Set(result.steps).size).toBe(result.steps.length);
  });

  it('is deterministic whatever order the facts come in', () => {
    expect(fired(12, 'sexting', 'older-partner', 'self-harm')).toEqual(fired(12, 'self-harm', 'older-partner', 'sexting'));
  });
});

describe('step words', () => {
  it('gives the pack words of each step, in route order, each once', () => {
    expect(stepsText(pack, ['mash-now', 'police-now', 'mash-now'])).toEqual([section.steps['police-now'].text, section.steps['mash-now'].text]);
  });

  it('names the LADO number, the form address and the 24-hour response', () => {
    expect(stepsText(pack, ['lado']).join(' ')).toMatch(/\{\{call:lado\}\}/);
  });

  it('never hard-codes the help desk: every MASH phone step uses a time-aware token', () => {
    for (const step of ['mash-now', 'mash-today', 'mash-referral'] as const) {
      expect(section.steps[step].text).toMatch(/\{\{call(-now|:front-door)\}\}/);
      expect(section.steps[step].text).not.toMatch(/01452/);
    }
  });

  it('tells the professional how to respond to a disclosure (rules §9)', () => {
    const [words] = stepsText(pack, ['disclosure-response']);
    for (const point of [/own words/, /leading questions/, /Never promise to keep it secret/, /not their fault/, /Do not confront/, /same day/]) expect(words).toMatch(point);
  });
});

describe('pathway words (review O3, C2, C6)', () => {
  it('sends a child with an allocated social worker to that social worker, not "the single point for every referral"', () => {
    expect(section.pathways['mash-referral'].text).not.toMatch(/single point for every referral/);
    expect(section.pathways['mash-referral'].text).toMatch(/allocated social worker, go to that social worker instead/);
  });

  it('says plainly that category 1 goes through the Front Door', () => {
    expect(section.pathways['early-help'].text).toMatch(/contact the Front Door \(MASH\)/);
    expect(section.pathways['early-help'].text).not.toMatch(/professional judgement/);
  });

  it('names no help desk number without its time-aware token', () => {
    const texts = [...Object.values(section.pathways).flatMap((p) => [p.text, ...Object.values(p.byUrgency ?? {})]), ...Object.values(section.steps).map((s) => s.text)];
    for (const text of texts) expect(text).not.toMatch(/01452 \d{6}/);
  });
});
