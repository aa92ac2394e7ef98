import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import { ageBandOf } from '../../insights/dimensions';
import type { EffectOf } from '../../effects';
import type { Choice, OutgoingMessage } from '../../protocol';
import { stepsText } from '../../screening/overrides';
import type { TriageSummary } from '../../vocabulary/triage';
import { concernKinds, overrideFacts, type ConcernKind, type OverrideResult, type RouteStep, type Urgency } from '../../vocabulary/triage';

/** Every message key the triage and its routes say; a pack without one stops start-up. */
export const triageMessageKeys = [
  'route-override-fired',
  'route-cp',
  'route-cp-police-first',
  'route-do-not-tell-parent',
  'route-disclosure',
  'route-forced-marriage',
  'route-mash-immediate',
  'route-mash-same-day',
  'route-mash-routine',
  'route-social-worker',
  'route-talk-it-through',
  'route-prevent',
  'route-prevent-imminent',
  'route-prevent-mash',
  'route-fgm-duty',
  'route-fgm-known',
  'route-fgm-at-risk',
  'route-missing-high-risk',
  'route-missing-now',
  'route-missing-return',
  'route-placing-authority',
  'route-lado',
  'route-lado-child',
  'route-adult',
  'route-adult-share',
  'route-adult-agreed',
  'route-adult-respect',
  'route-care-leaver',
  'route-refer-offer',
  'route-menu',
  'route-override-corrected',
] as const;
export type TriageMessageKey = (typeof triageMessageKeys)[number];

export function checkTriagePack(pack: ContentPack): void {
  const missing = triageMessageKeys.find((key) => !pack.messages[key]);
  if (missing) throw new DomainError('SG-CONTENT-INVALID', `message "${missing}" is needed by the triage`);
  if (!pack.routes) throw new DomainError('SG-CONTENT-INVALID', `pack ${pack.id} has no routes section`);
  if (!pack.referral) throw new DomainError('SG-CONTENT-INVALID', `pack ${pack.id} has no referral section (urgency words)`);
}

/** A pack message with `{name}` filled in; `{{…}}` phone tokens are left for the runtime to fill when sent. */
export function say(pack: ContentPack, key: TriageMessageKey, vars: Record<string, string> = {}): string {
  return pack.messages[key].text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export const urgencyWords = (pack: ContentPack, urgency: Urgency): string => pack.referral!.urgencies[urgency];

/** The override facts as choices: the screening's indicator labels first, the routes' words otherwise; `none` last. */
export function overrideChoices(pack: ContentPack): Choice[] {
  const label = (id: string) => pack.screening?.indicators[id]?.label ?? id;
  const none = pack.questions['concern-overrides']?.choices?.find((c) => c.value === 'none');
  return [...overrideFacts.map((value) => ({ value, title: label(value) })), ...(none ? [{ value: none.value, title: none.title }] : [])];
}

/** The kinds as choices, a suggested one (from the screening's hand-over) first: shown, never assumed. */
export function kindChoices(pack: ContentPack, suggested?: ConcernKind): Choice[] {
  const titles = new Map((pack.questions['concern-kind']?.choices ?? []).map((c) => [c.value, c.title]));
  const ordered = suggested ? [suggested, ...concernKinds.filter((k) => k !== suggested)] : [...concernKinds];
  return ordered.map((value) => ({ value, title: titles.get(value) ?? value }));
}

const bullets = (lines: readonly string[]) => lines.map((line) => `- ${line}`).join('\n');

/** What an override fixes, said as soon as it fires: before the kind is asked, the police step is known. */
export function overrideText(pack: ContentPack, overrides: OverrideResult): string | undefined {
  if (!overrides.fired.length || !overrides.category || !overrides.urgency) return undefined;
  const head = say(pack, 'route-override-fired', { category: String(overrides.category), urgency: urgencyWords(pack, overrides.urgency) });
  return `${head}\n${bullets(stepsText(pack, overrides.steps))}`;
}

/** `value` of a route's result: the machine-readable outcome of the order of evaluation. */
export interface TriageResultValue extends Record<string, unknown> {
  type: 'safeguarding.triageResult';
  triageId: string;
  about: TriageSummary['about'];
  kind?: ConcernKind;
  urgency?: Urgency;
  category?: 3 | 4;
  overrides: string[];
  steps: RouteStep[];
  /** The route ends in a referral to the MASH (the referral flow follows). */
  refer: boolean;
  contentVersion: string;
}

/** The audit record of a route's result: ids and codes only, an age band, never the child's details. */
export function triageAudit(value: TriageResultValue, extra: { age?: number; at?: string; facts: readonly string[] }): EffectOf<'audit.append'> {
  return {
    kind: 'audit.append',
    id: value.triageId,
    payload: { recordType: 'triage', ...value, facts: [...extra.facts], ageBand: ageBandOf(extra.age), ...(extra.at ? { recordedAt: extra.at } : {}) },
  };
}

/**
 * One message: an override answer that was corrected (`corrected`, its words), what fired and its steps,
 * the route's words, then the offer of what comes next.
 */
export function resultMessage(pack: ContentPack, value: TriageResultValue, overrides: OverrideResult, routeKeys: readonly TriageMessageKey[], corrected?: string): OutgoingMessage {
  const offer = value.refer && value.urgency ? say(pack, 'route-refer-offer', { urgency: urgencyWords(pack, value.urgency) }) : say(pack, 'route-menu');
  const parts = [corrected, overrideText(pack, overrides), ...routeKeys.map((key) => say(pack, key)), offer];
  return { text: parts.filter(Boolean).join('\n\n'), value };
}
