import type { ScreeningSection } from '../../content/screeningSchema';
import type { Effect, OutgoingMessage } from '../../protocol';
import type { Pathway, ScreeningOutcome } from '../../screening';
import { ageBandOf } from '../../insights/dimensions';

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
  contentVersion: string;
}

/** Where the conversation goes after a result: the referral when the pathway is the MASH. */
export function nextAfter(pathway: Pathway): 'refer' | 'advice' | 'menu' {
  if (pathway === 'mash-referral') return 'refer';
  return pathway === 'early-help' || pathway === 'adult-safeguarding' ? 'advice' : 'menu';
}

export function resultValue(outcome: ScreeningOutcome, screeningId: string, contentVersion: string): ScreeningResultValue {
  const { category, label, pathway, urgency, indicators, vulnerabilities, counts, rationale, raised } = outcome;
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
    contentVersion,
  };
}

/**
 * The audit record of a result. Built from the value only, which never holds the narrative: a
 * professional's own words may name the child, and the audit log keeps decisions, not stories.
 */
export function auditEffect(value: ScreeningResultValue, extra: { tellPlacingAuthority: boolean; at?: string; age?: number }): Effect {
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

function whatToDo(outcome: ScreeningOutcome, section: ScreeningSection): string {
  if (outcome.pathway === 'emergency' || outcome.pathway === 'lado') return '';
  const words = section.pathways[outcome.pathway];
  const urgent = words.byUrgency?.[outcome.urgency];
  return urgent ? `${words.text} ${urgent}` : words.text;
}

/**
 * One message: the category and why, what to do now and who to call, then the offer of what comes next
 * (the referral, whatever the pathway, when the screening was run because a referral was asked for).
 */
export function resultMessage(section: ScreeningSection, value: ScreeningResultValue, outcome: ScreeningOutcome, tellPlacingAuthority: boolean, thenRefer = false): OutgoingMessage {
  const raisedLine = outcome.raised
    ? section.raised.text.replace('{from}', String(outcome.raised.from)).replace('{to}', String(outcome.category))
    : undefined;
  const parts = [
    raisedLine,
    outcome.rationale,
    whatToDo(outcome, section),
    tellPlacingAuthority ? section.placingAuthority.text : undefined,
    section.offers[thenRefer ? 'refer' : nextAfter(outcome.pathway)].text,
    // Categories 3 and 4: a CSE coordinator is offered as well as the pathway.
    outcome.category >= 3 && outcome.pathway !== 'emergency' ? section.offers.coordinator?.text : undefined,
  ];
  return { text: parts.filter(Boolean).join('\n\n'), value };
}

/** A concern about someone who works with children leaves the screening for the LADO. */
export function ladoMessage(section: ScreeningSection): OutgoingMessage {
  const criteria = section.lado.criteria.map((line) => `- ${line}`).join('\n');
  return { text: `${section.lado.text}\n${criteria}`, value: { type: 'safeguarding.handoff', kind: 'lado' } };
}
