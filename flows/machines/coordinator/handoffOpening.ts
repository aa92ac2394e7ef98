import type { ContentPack } from '../../content/packSchema';
import type { EffectOf } from '../../effects';
import type { AnswerIdentity, AnswerValue, OutgoingMessage } from '../../protocol';
import type { ScreeningSummary } from '../../screening/outcome';
import type { CarriedReferral } from '../flowKit';

type HandoffUrgency = 'immediate' | 'same-day' | 'routine';

export interface HandoffOpeningFacts {
  handoffId: string;
  at: string;
  note?: AnswerValue;
  screening?: ScreeningSummary;
  referral?: CarriedReferral;
  by?: AnswerIdentity;
}

const urgencyOf = (value: string | undefined): HandoffUrgency => (value === 'immediate' || value === 'same-day' ? value : 'routine');

/**
 * What the coordinator needs to pick the case up: the screening's category, pathway and urgency and the
 * referral reference. Not the narrative, not the child's details: those stay with the screening and the
 * MASH. The professional's own note is theirs to word (the question asks them not to name the child).
 */
export function handoffSummary({ screening, referral, note }: HandoffOpeningFacts): string {
  const lines = [
    screening ? `Screening ${screening.screeningId}: category ${screening.category}, pathway ${screening.pathway}, urgency ${screening.urgency}.` : undefined,
    screening?.indicators.length ? `Indicators: ${screening.indicators.join(', ')}.` : undefined,
    referral ? `Referral ${referral.clientReference} filed with the MASH.` : undefined,
    !screening && !referral ? 'No screening or referral in this conversation yet.' : undefined,
    typeof note === 'string' && note.trim() ? `Note from the professional: ${note.trim()}` : undefined,
  ];
  return lines.filter(Boolean).join('\n').slice(0, 2000);
}

/** The professional's name, role and organisation as their sign-in gave them (never their email or user id). */
function referrerOf(by: AnswerIdentity | undefined): { name?: string; role?: string; organisation?: string } | undefined {
  const picked = Object.fromEntries(
    Object.entries({ name: by?.name, role: by?.role, organisation: by?.organisation })
      .filter(([, v]) => typeof v === 'string' && v.trim())
      .map(([k, v]) => [k, (v as string).slice(0, 200)]),
  );
  return Object.keys(picked).length ? picked : undefined;
}

/** The `handoff.open` effect and the message telling the professional it is on its way. */
export function handoffOpening(pack: ContentPack, facts: HandoffOpeningFacts): { effect: EffectOf<'handoff.open'>; message: OutgoingMessage } {
  const category = facts.screening?.category ?? facts.referral?.category;
  const urgency = urgencyOf(facts.screening?.urgency ?? facts.referral?.urgency);
  const effect: EffectOf<'handoff.open'> = {
    kind: 'handoff.open',
    id: facts.handoffId,
    payload: {
      recordType: 'handoff',
      recordedAt: facts.at,
      handoffId: facts.handoffId,
      kind: 'talk-to-coordinator',
      urgency,
      summary: handoffSummary(facts),
      ...(category !== undefined ? { category } : {}),
      ...(facts.screening ? { screeningId: facts.screening.screeningId, pathway: facts.screening.pathway } : {}),
      ...(facts.referral ? { clientReference: facts.referral.clientReference } : {}),
      ...(referrerOf(facts.by) ? { referrer: referrerOf(facts.by) } : {}),
    },
  };
  const text = pack.messages['handoff-opened'].text.replaceAll('{handoffId}', facts.handoffId).replaceAll('{urgency}', urgency);
  const message: OutgoingMessage = {
    text,
    value: { type: 'safeguarding.handoff', kind: 'coordinator', handoffId: facts.handoffId, status: 'open', urgency, ...(category !== undefined ? { category } : {}) },
  };
  return { effect, message };
}
