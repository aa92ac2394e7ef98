/**
 * TEMPORARY (until feat-contract merges): the contract branch makes `ReferralDraft.screening` optional,
 * adds `ReferralDraft.triage` and builds categories and urgency from the triage in `buildReferralBody`.
 * Until then the body builder needs a screening, so a triage-only draft is given a stand-in built from
 * the triage (never shown as a screening: the review and intro read the triage), and a real screening's
 * urgency is raised to the triage's (an override is never lowered). At merge the lead replaces
 * `bodyDraft` with the draft itself.
 */
import type { ScreeningSummary } from '../../screening/outcome';
import type { TriageSummary } from '../../triage/pending';
import { higherUrgency } from '../../triage/types';
import type { ReferralDraft } from './referralBody';

export type TriageDraft = Omit<ReferralDraft, 'screening'> & { screening?: ScreeningSummary; triage?: TriageSummary };

export function bodyDraft(draft: TriageDraft): ReferralDraft {
  const { triage, screening, ...rest } = draft;
  if (screening) return { ...rest, screening: { ...screening, urgency: higherUrgency(screening.urgency, triage?.urgency) } };
  const t = triage!;
  const stand: ScreeningSummary = {
    screeningId: `tri-${t.kind}`,
    category: t.category ?? 0,
    pathway: 'mash-referral',
    urgency: t.urgency,
    indicators: t.facts,
    vulnerabilities: [],
    rationale: `Concern: ${t.kind}; urgency ${t.urgency}${t.overrides.fired.length ? `; safety overrides ${t.overrides.fired.map((f) => f.id).join(', ')}` : ''}.`,
    age: t.age,
    lookedAfterElsewhere: false,
  };
  return { ...rest, screening: stand };
}
