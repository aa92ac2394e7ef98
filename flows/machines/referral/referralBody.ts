import type { ContentPack } from '../../content/packSchema';
import type { ReferralSection } from '../../content/referralSchema';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Effect } from '../../protocol';
import {
  channelOf,
  concernCategories,
  type ConcernCategory,
  type ReferralBody,
  type ReferralChild,
  type ReferralConsent,
  type Referrer,
} from '../../referral/contract';
import type { ScreeningSummary } from '../../screening/outcome';
import { validateEmail } from '../../validation/email';
import type { ConsentCarry } from '../sharing/sharingDecision';
import { referralQuestions as Q, skipped } from './referralQuestions';
import { words } from './referralWords';

/** Status and reason of each choice of `ref-consent-status`; the pack's choices must be exactly these. */
export const consentChoices = {
  given: { status: 'given' },
  'not-sought-would-increase-risk': { status: 'not-sought', overrideReason: 'would-increase-risk' },
  'not-sought-prejudice-crime': { status: 'not-sought', overrideReason: 'prejudice-crime' },
  'not-sought-cannot-consent': { status: 'not-sought', overrideReason: 'cannot-consent' },
  'not-sought-not-reasonable': { status: 'not-sought', overrideReason: 'not-reasonable' },
  'refused-overridden-refusal': { status: 'refused', overrideReason: 'overridden-refusal' },
  'refused-would-increase-risk': { status: 'refused', overrideReason: 'would-increase-risk' },
} as const satisfies Record<string, Pick<ReferralConsent, 'status' | 'overrideReason'>>;

export type ConsentChoice = keyof typeof consentChoices;

const isConsentChoice = (value: unknown): value is ConsentChoice => typeof value === 'string' && value in consentChoices;

/**
 * The consent answer a sharing decision already gives: consent given, or shared without it for a
 * recorded reason. Any other decision (seek consent, do not share, not identifying) leaves it to ask.
 */
export function carriedConsentChoice(carry: ConsentCarry | undefined): ConsentChoice | undefined {
  if (!carry) return undefined;
  if (carry.status === 'given') return 'given';
  if (carry.outcome !== 'share-without-consent' || !carry.reason) return undefined;
  const value = `${carry.status === 'refused' ? 'refused' : 'not-sought'}-${carry.reason}`;
  return isConsentChoice(value) ? value : undefined;
}

/** What the referral is made from: the answers, who gave them, and what the conversation carried in. */
export interface ReferralDraft {
  answers: Record<string, AnswerValue>;
  by?: AnswerIdentity;
  screening: ScreeningSummary;
  consent?: ConsentCarry;
}

const within = (value: string | undefined, max: number): string | undefined => {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
};

/** The referrer details the channel's sign-in gives, when they would pass the MASH contract. */
export function identityReferrer(by: AnswerIdentity | undefined): Partial<Referrer> {
  const email = by?.email ? validateEmail(by.email) : undefined;
  const found: Partial<Referrer> = {
    name: within(by?.name, 200),
    role: within(by?.role, 200),
    organisation: within(by?.organisation, 200),
    email: email?.ok ? email.value : undefined,
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

const given = (draft: Pick<ReferralDraft, 'answers'>, question: string): string | undefined => {
  const value = draft.answers[question];
  return typeof value === 'string' && value !== skipped ? value : undefined;
};

/** What the professional typed wins over the sign-in: they were asked because the sign-in lacked it. */
export function draftReferrer(draft: Pick<ReferralDraft, 'answers' | 'by'>): Partial<Referrer> {
  const identity = identityReferrer(draft.by);
  const found: Partial<Referrer> = {
    name: given(draft, Q.name) ?? identity.name,
    role: given(draft, Q.role) ?? identity.role,
    organisation: given(draft, Q.org) ?? identity.organisation,
    email: given(draft, Q.email) ?? identity.email,
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

/** Looked after here, or by another authority (the screening's own question). */
export function draftChild(draft: ReferralDraft): ReferralChild {
  const dateOfBirth = given(draft, Q.dob) === 'unknown' ? undefined : given(draft, Q.dob);
  const age = draft.answers[Q.age];
  const postcode = given(draft, Q.postcode);
  const child: ReferralChild = {
    firstName: given(draft, Q.firstName) ?? '',
    lastName: given(draft, Q.lastName) ?? '',
    ...(dateOfBirth ? { dateOfBirth } : typeof age === 'number' ? { ageYears: age } : {}),
    ...(given(draft, Q.nhs) ? { nhsNumber: given(draft, Q.nhs) } : {}),
    ...(given(draft, Q.upn) ? { upn: given(draft, Q.upn) } : {}),
    ...(postcode ? { address: { postcode } } : {}),
    ...(given(draft, Q.school) ? { school: given(draft, Q.school) } : {}),
    lookedAfter: draft.screening.vulnerabilities.includes('looked-after') || draft.screening.lookedAfterElsewhere,
  };
  return child;
}

/** The consent choice: answered here, or taken from the sharing decision (then `carried`). */
export function draftConsentChoice(draft: ReferralDraft): { choice: ConsentChoice; carried: boolean } | undefined {
  const answered = draft.answers[Q.consent];
  if (isConsentChoice(answered)) return { choice: answered, carried: false };
  const carried = carriedConsentChoice(draft.consent);
  return carried ? { choice: carried, carried: true } : undefined;
}

export function draftConsent(pack: ContentPack, section: ReferralSection, draft: ReferralDraft): ReferralConsent {
  const found = draftConsentChoice(draft);
  if (!found) throw new DomainError('SG-INTERNAL', 'a referral was built before consent was answered');
  const { status, overrideReason } = consentChoices[found.choice] as Pick<ReferralConsent, 'status' | 'overrideReason'>;
  const details = found.carried && draft.consent ? words(pack, 'ref-consent-details', { decisionId: draft.consent.decisionId }) : undefined;
  return { status, ...(overrideReason ? { overrideReason } : {}), ...(details ? { details } : {}), lawfulBasis: section.lawfulBasis.text };
}

/** The concern categories the screening's indicators point to, in contract order; `other` when none does. */
export function concernCategoriesOf(section: ReferralSection, screening: ScreeningSummary): ConcernCategory[] {
  const seen = new Set([...screening.indicators, ...screening.vulnerabilities]);
  const found = concernCategories.filter((category) => section.concernCategories[category].indicators.some((id) => seen.has(id)));
  return found.length ? found : ['other'];
}

export interface Submission {
  clientReference: string;
  /** The `at` of the answer that sent it: `submittedAt`. */
  at: string;
}

/**
 * The body of `POST /referrals` (schemaVersion "1"). `immediateDanger` is false because a screening that
 * finds immediate danger leaves for 999 before any result, so a referral never starts from one; the
 * urgency (immediate at category 4) carries how fast the MASH must act.
 */
export function buildReferralBody(pack: ContentPack, draft: ReferralDraft, { clientReference, at }: Submission): ReferralBody {
  const section = pack.referral!;
  const indicatorWords = pack.screening?.indicators ?? {};
  const referrer = draftReferrer(draft) as Referrer;
  return {
    schemaVersion: '1',
    clientReference,
    submittedAt: at,
    channel: channelOf(draft.by?.channelId),
    referrer: { name: referrer.name, role: referrer.role, organisation: referrer.organisation, email: referrer.email },
    child: draftChild(draft),
    concern: { summary: given(draft, Q.summary) ?? '', categories: concernCategoriesOf(section, draft.screening), immediateDanger: false },
    screening: {
      tool: section.tool,
      version: pack.version,
      category: draft.screening.category,
      indicators: draft.screening.indicators.map((id) => ({ id, label: indicatorWords[id]?.label ?? id })),
      rationale: draft.screening.rationale,
    },
    consent: draftConsent(pack, section, draft),
    urgency: draft.screening.urgency,
  };
}

/**
 * What submitting asks of the I/O layer: the referral into the outbox (delivered with `Idempotency-Key`
 * = clientReference), and an audit record with the minimum identifiers (no name, no date of birth, no
 * NHS number: the decision, its reasons and the references that link it to the screening and the MASH).
 */
export function referralEffects(body: ReferralBody, screeningId: string, organisationType?: string): Effect[] {
  const { clientReference } = body;
  return [
    { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body } },
    {
      kind: 'audit.append',
      id: clientReference,
      payload: {
        recordType: 'referral',
        clientReference,
        screeningId,
        category: body.screening.category,
        concernCategories: body.concern.categories,
        urgency: body.urgency,
        consentStatus: body.consent.status,
        ...(body.consent.overrideReason ? { consentReason: body.consent.overrideReason } : {}),
        // The type, never the organisation's name: partnership insight reports by type (issue 11).
        ...(organisationType ? { organisationType } : {}),
        recordedAt: body.submittedAt,
      },
    },
  ];
}
