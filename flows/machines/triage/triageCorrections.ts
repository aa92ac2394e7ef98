import type { ContentPack } from '../../content/packSchema';
import type { ScreeningSection } from '../../content/screeningSchema';
import type { EffectOf } from '../../effects';
import { evaluateOverrides } from '../../screening/overrides';
import type { OverrideCorrection, OverrideResult } from '../../vocabulary/triage';
import { overrideChoices, say } from './triageText';

/** The override question: the one answer whose correction may lower an override (issue 17 item 2). */
export const overridesQuestion = 'concern-overrides';

/** An answer to the override facts that `back` undid, with the age it was given at when known. */
export interface UndoneFacts {
  facts: string[];
  at?: string;
  age?: number;
}

const sameFacts = (a: readonly string[], b: readonly string[]) => [...a].sort().join(',') === [...b].sort().join(',');

/**
 * The corrections the new answer makes: every undone answer that had fired an override (at the age it
 * was given, or the age undone with it) and says something else now, or no longer fires it (the age was
 * corrected too). An answer given again unchanged, or one that fired nothing, adds nothing to the record.
 */
export function correctionsOf(
  undone: readonly UndoneFacts[],
  now: { facts: string[]; overrides: OverrideResult; age?: number; undoneAge?: number; at?: string },
  section: ScreeningSection,
): OverrideCorrection[] {
  const seen = new Set<string>();
  const corrections: OverrideCorrection[] = [];
  for (const before of undone) {
    const key = [...before.facts].sort().join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const fired = evaluateOverrides({ age: before.age ?? now.undoneAge ?? now.age, facts: before.facts }, section).fired.map((f) => f.id);
    // The same facts still firing the same overrides change nothing; the same facts at a corrected age may.
    const lost = fired.some((id) => !now.overrides.fired.some((f) => f.id === id));
    if (fired.length === 0 || (sameFacts(before.facts, now.facts) && !lost)) continue;
    const { category, urgency } = now.overrides;
    corrections.push({
      questionId: overridesQuestion,
      originalFacts: [...before.facts],
      originalFired: fired,
      ...(before.at ? { originalAt: before.at } : {}),
      facts: [...now.facts],
      fired: now.overrides.fired.map((f) => f.id),
      ...(category ? { category } : {}),
      ...(urgency ? { urgency } : {}),
      ...(now.at ? { at: now.at } : {}),
    });
  }
  return corrections;
}

/** The facts in the words of the question's choices ("None of these" for none): never the ids. */
export function factsWords(pack: ContentPack, facts: readonly string[]): string {
  const choices = overrideChoices(pack);
  const title = (value: string) => choices.find((c) => c.value === value)?.title ?? value;
  return facts.length ? facts.map(title).join('; ') : title('none');
}

/** What the professional is told, and what the result repeats: the earlier answer, what it fired, the correction. */
export function correctionText(pack: ContentPack, corrections: readonly OverrideCorrection[]): string | undefined {
  if (!corrections.length) return undefined;
  const rules = pack.screening!.overrides;
  const reason = (id: string) => rules.find((o) => o.id === id)?.reason ?? id;
  return corrections
    .map((c) =>
      say(pack, 'route-override-corrected', { before: factsWords(pack, c.originalFacts), reason: c.originalFired.map(reason).join(' '), after: factsWords(pack, c.facts) }),
    )
    .join('\n\n');
}

/** The audit record of one correction: the original answer and what it fired, the new one and its result; ids only. */
export function correctionAudit(correction: OverrideCorrection, id: string, contentVersion: string): EffectOf<'audit.append'> {
  const { at, ...rest } = correction;
  return { kind: 'audit.append', id, payload: { recordType: 'override-correction', ...rest, ...(at ? { recordedAt: at } : {}), contentVersion } };
}
