/**
 * TEMPORARY stand-ins for what other branches of issue #17 provide, so this branch compiles and its
 * routes can be walked before they land. Each block says which branch replaces it; at merge time the
 * lead deletes the block and imports the real one (the names and signatures are the agreed ones).
 */
import type { ContentPack } from '../content/packSchema';
import type { ScreeningSection } from '../content/screeningSchema';
import { higherUrgency, type ConcernKind, type ConcernSubject, type FiredOverride, type OverrideResult, type RouteStep, type Urgency } from './types';

// until feat-screening merges: evaluateOverrides lives in flows/screening/overrides.ts, its rules in screening.json.
interface PendingRule {
  id: string;
  when: (facts: ReadonlySet<string>, age: number | undefined) => boolean;
  category: 3 | 4;
  urgency: Urgency;
  steps: RouteStep[];
}
const under = (age: number | undefined, limit: number) => age !== undefined && age < limit;
const pendingRules: PendingRule[] = [
  { id: 'under-13-sexual', when: (f, a) => f.has('sexual-activity') && under(a, 13), category: 4, urgency: 'immediate', steps: ['police-now', 'mash-now', 'strategy-discussion'] },
  { id: 'adult-images', when: (f) => f.has('adult-image-request'), category: 4, urgency: 'immediate', steps: ['police-now', 'ceop', 'never-view-images', 'mash-now'] },
  { id: 'nudes-under-13', when: (f, a) => (f.has('sexting') || f.has('nudes-coercion') || f.has('nudes-extreme')) && under(a, 13), category: 4, urgency: 'immediate', steps: ['police-now', 'never-view-images', 'mash-now'] },
  { id: 'nudes-referral', when: (f) => f.has('nudes-coercion') || f.has('nudes-extreme'), category: 3, urgency: 'same-day', steps: ['police-101', 'never-view-images', 'mash-today'] },
  { id: 'disclosure', when: (f) => f.has('disclosure'), category: 4, urgency: 'immediate', steps: ['police-now', 'mash-now', 'disclosure-response'] },
  { id: 'exchange', when: (f) => f.has('exchange'), category: 4, urgency: 'immediate', steps: ['police-now', 'mash-now'] },
  { id: 'trafficked', when: (f) => f.has('trafficked'), category: 4, urgency: 'immediate', steps: ['police-now', 'mash-now', 'nrm', 'modern-slavery-helpline'] },
  {
    id: 'cce-coercion',
    when: (f) => f.has('threats-violence') || f.has('debt-bondage') || (f.has('weapons') && f.has('drug-running')),
    category: 4,
    urgency: 'immediate',
    steps: ['police-now', 'mash-now', 'nrm', 'modern-slavery-helpline'],
  },
  { id: 'older-partner-under-13', when: (f, a) => f.has('older-partner') && under(a, 13), category: 4, urgency: 'immediate', steps: ['police-now', 'mash-now'] },
  { id: 'older-partner-13-15', when: (f, a) => f.has('older-partner') && a !== undefined && a >= 13 && a < 16, category: 3, urgency: 'same-day', steps: ['police-101', 'mash-today'] },
];

/** until feat-screening merges: the §6.2 overrides that fire for these facts (highest category and urgency, every step). */
export function evaluateOverrides(input: { age?: number; facts: readonly string[] }, _section: ScreeningSection): OverrideResult {
  void _section;
  const facts = new Set(input.facts);
  const fired: FiredOverride[] = pendingRules.filter((r) => r.when(facts, input.age)).map(({ id, category, urgency, steps }) => ({ id, category, urgency, steps }));
  if (fired.length === 0) return { fired, steps: [] };
  const category = fired.some((f) => f.category === 4) ? 4 : 3;
  const urgency = fired.reduce<Urgency>((u, f) => higherUrgency(u, f.urgency), 'routine');
  const steps = [...new Set(fired.flatMap((f) => f.steps))];
  return { fired, category, urgency, steps };
}

// until feat-screening merges: stepsText reads the pack's words per RouteStep id (screening.json).
const pendingStepWords: Partial<Record<RouteStep, string>> = {
  'call-999': 'Call 999 now.',
  'police-now': 'Tell the police now: 999 if the child or anyone else is at immediate risk, otherwise 101.',
  'police-101': 'Tell the police on 101 (non-emergency).',
  ceop: 'Report online sexual abuse or grooming to the police and/or CEOP (ceop.police.uk/Safety-Centre).',
  'never-view-images': 'Never view, copy, forward or save the images.',
  'mash-now': 'Phone the MASH now: {{call-now}}',
  'mash-today': 'Refer to the MASH today: {{call-now}}',
  'strategy-discussion': 'Expect a strategy discussion.',
  nrm: 'The local authority or the police (first responders) make a National Referral Mechanism (NRM) referral; the child does not need to consent.',
  'modern-slavery-helpline': 'For advice: Modern Slavery Helpline 08000 121 700.',
  'disclosure-response': 'After a disclosure: listen, do not investigate, never promise secrecy, record their words.',
};
/** until feat-screening merges: the pack's words for each step, in the order given. */
export function stepsText(_pack: ContentPack, steps: readonly RouteStep[]): string[] {
  void _pack;
  return steps.flatMap((step) => (pendingStepWords[step] ? [pendingStepWords[step]!] : []));
}

// until feat-contract merges: TriageSummary is appended to flows/triage/types.ts by the contract branch.
/** What the triage hands to the referral: who, the confirmed kind, the override facts and what they fixed. */
export interface TriageSummary {
  about: ConcernSubject;
  age?: number;
  kind: ConcernKind;
  facts: string[];
  overrides: OverrideResult;
  urgency: Urgency;
  category?: 3 | 4;
  steps: RouteStep[];
}
