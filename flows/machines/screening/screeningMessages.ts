import type { ContentPack } from '../../content/packSchema';
import type { ScreeningSection } from '../../content/screeningSchema';
import type { EffectOf } from '../../effects';
import type { OutgoingMessage } from '../../protocol';
import type { Pathway, ScreeningOutcome } from '../../screening';
import { stepsText } from '../../screening/overrides';
import { joinList } from '../../screening/outcome';
import { ageBandOf } from '../../insights/dimensions';
import type { ConcernKind } from '../../vocabulary/triage';

/** `value` of a result message: the machine-readable outcome of issue 4's contract. */
export interface ScreeningResultValue extends Record<string, unknown> {
  type: 'safeguarding.screeningResult';
  screeningId: string;
  category: ScreeningOutcome['category'];
  label: string;
  pathway: Pathway;
  urgency: ScreeningOutcome['urgency'];
  indicators: ScreeningOutcome['indicators'];
  vulnerabilities: string[];
  counts: ScreeningOutcome['counts'];
  rationale: string;
  raised?: ScreeningOutcome['raised'];
  /** The safety overrides that fired (ids, the category and urgency they fix, their steps). */
  overrides: ScreeningOutcome['overrides'];
  contentVersion: string;
}

/** Where the conversation goes after a result: the referral when the pathway is the MASH. */
export function nextAfter(pathway: Pathway): 'refer' | 'advice' | 'menu' {
  if (pathway === 'mash-referral') return 'refer';
  return pathway === 'early-help' || pathway === 'adult-safeguarding' ? 'advice' : 'menu';
}

export function resultValue(outcome: ScreeningOutcome, screeningId: string, contentVersion: string): ScreeningResultValue {
  const { category, label, pathway, urgency, indicators, vulnerabilities, counts, rationale, raised, overrides } = outcome;
  return {
    type: 'safeguarding.screeningResult',
    screeningId,
    category,
    label,
    pathway,
    urgency,
    indicators,
    vulnerabilities,
    counts,
    rationale,
    ...(raised ? { raised } : {}),
    overrides,
    contentVersion,
  };
}

/**
 * The audit record of a result. Built from the value only, which never holds the narrative: a
 * professional's own words may name the child, and the audit log keeps decisions, not stories.
 */
export function auditEffect(value: ScreeningResultValue, extra: { tellPlacingAuthority: boolean; at?: string; age?: number }): EffectOf<'audit.append'> {
  return {
    kind: 'audit.append',
    id: value.screeningId,
    payload: {
      recordType: 'screening',
      ...value,
      tellPlacingAuthority: extra.tellPlacingAuthority,
      // An age band, never the age or date of birth: enough for partnership insight (issue 11).
      ageBand: ageBandOf(extra.age),
      ...(extra.at ? { recordedAt: extra.at } : {}),
    },
  };
}

const bullets = (lines: readonly string[]): string => lines.map((line) => `- ${line}`).join('\n');

/**
 * The pathway's words. When a safety override fired, its steps already say how fast and whom to phone,
 * so the pathway adds only its general text (no second, possibly softer, "phone now" line).
 */
function whatToDo(outcome: ScreeningOutcome, section: ScreeningSection): string {
  if (outcome.pathway === 'emergency' || outcome.pathway === 'lado') return '';
  const words = section.pathways[outcome.pathway];
  const urgent = outcome.overrides.fired.length === 0 ? words.byUrgency?.[outcome.urgency] : undefined;
  return urgent ? `${words.text} ${urgent}` : words.text;
}

/** The closing offer: someone aged 18 or over is never offered the children's MASH referral (review U6). */
function offerOf(outcome: ScreeningOutcome, section: ScreeningSection, thenRefer: boolean): string {
  if (outcome.pathway === 'adult-safeguarding') return thenRefer ? section.offers.adultRefer.text : section.offers[nextAfter(outcome.pathway)].text;
  return section.offers[thenRefer ? 'refer' : nextAfter(outcome.pathway)].text;
}

/**
 * One message: the category and why (the safety rule first when one fired), the steps that rule requires
 * (police first where it says so), what to do now, then the offer of what comes next (the referral,
 * whatever the pathway, when the screening was run because a referral was asked for).
 */
export function resultMessage(pack: ContentPack, value: ScreeningResultValue, outcome: ScreeningOutcome, tellPlacingAuthority: boolean, thenRefer = false): OutgoingMessage {
  const section = pack.screening!;
  const raisedLine = outcome.raised ? section.raised.text.replace('{from}', String(outcome.raised.from)).replace('{to}', String(outcome.category)) : undefined;
  const steps = outcome.overrides.steps.length ? bullets(stepsText(pack, outcome.overrides.steps)) : undefined;
  const parts = [
    raisedLine,
    outcome.rationale,
    steps,
    whatToDo(outcome, section),
    tellPlacingAuthority ? section.placingAuthority.text : undefined,
    offerOf(outcome, section, thenRefer),
    // Categories 3 and 4: a CSE coordinator is offered as well as the pathway.
    outcome.category >= 3 && outcome.pathway !== 'emergency' ? section.offers.coordinator?.text : undefined,
  ];
  return { text: parts.filter(Boolean).join('\n\n'), value };
}

/**
 * A concern about someone who works with children leaves the screening for the LADO, with the LADO's
 * line and form, and the child's own route: a LADO referral never replaces keeping the child safe.
 */
export function ladoMessage(pack: ContentPack): OutgoingMessage {
  const section = pack.screening!;
  const criteria = bullets(section.lado.criteria);
  const steps = bullets(stepsText(pack, ['lado', 'child-route-too']));
  return { text: `${section.lado.text}\n${criteria}\n\n${steps}`, value: { type: 'safeguarding.handoff', kind: 'lado' } };
}

/** What the screening heard that is not exploitation, before it asks whether to go to that route. */
export function otherHarmMessage(section: ScreeningSection, heard: 'heard' | 'nothingFound', kinds: readonly string[]): OutgoingMessage {
  return { text: section.otherHarm[heard].text.replace('{kinds}', joinList(kinds)) };
}

/** The hand-over to the kind-of-concern question: the suggested kind is named, never assumed. */
export function handoverMessage(section: ScreeningSection, suggested: ConcernKind): OutgoingMessage {
  const words = section.otherHarm.kinds[suggested]?.label ?? suggested;
  return { text: section.otherHarm.handover.text.replace('{kind}', words), value: { type: 'safeguarding.handoff', kind: 'route', suggestedKind: suggested } };
}
