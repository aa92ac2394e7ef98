import type { ScreeningSection } from '../content/screeningSchema';
import { concernKinds, type ConcernKind } from '../vocabulary/triage';
import { matchNarrative } from './matchNarrative';

/**
 * The kinds of harm other than exploitation that a professional's own words point to (an injury by a
 * carer, neglect, domestic abuse, radicalisation, FGM, forced marriage), in the order of `concernKinds`.
 * Like the indicator matcher it only proposes: the screening asks before it hands over, so a "no sign of
 * bruising" costs one answer, never a missed route. Pure and deterministic.
 */
export function matchOtherHarm(text: string, section: ScreeningSection): ConcernKind[] {
  return matchNarrative(text, otherHarmPhrases(section)) as ConcernKind[];
}

// One object per section, so the matcher's stems of it are computed once (matchNarrative caches by object).
const phrasesOfSection = new WeakMap<ScreeningSection, Record<string, { phrases: readonly string[] }>>();

function otherHarmPhrases(section: ScreeningSection): Record<string, { phrases: readonly string[] }> {
  let phrases = phrasesOfSection.get(section);
  if (!phrases) {
    phrases = {};
    for (const kind of concernKinds) {
      const words = section.otherHarm.kinds[kind];
      if (words) phrases[kind] = words;
    }
    phrasesOfSection.set(section, phrases);
  }
  return phrases;
}

/** The kinds in words, for "I heard signs of …" (the pack's labels, never the ids). */
export function otherHarmWords(kinds: readonly ConcernKind[], section: ScreeningSection): string[] {
  return kinds.map((kind) => section.otherHarm.kinds[kind]?.label ?? kind);
}
