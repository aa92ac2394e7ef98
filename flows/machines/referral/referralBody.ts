import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { AnswerIdentity, AnswerValue, Effect } from '../../protocol';
import {
  channelOf,
  concernCategories,
  consentOverrideReasons,
  marfBodyFieldNames,
  marfChildFieldNames,
  type ConcernCategory,
  type ConcernCategoryV2,
  type MarfFields,
  type ReferralBody,
  type ReferralBodyV1,
  type ReferralBodyV2,
  type ReferralChild,
  type ReferralConsent,
  type ReferralConsentV2,
  type ReferralScreening,
  type Referrer,
  type Urgency,
} from '../../referral/contract';
import type { ScreeningSummary } from '../../screening/outcome';
import { higherUrgency, type TriageSummary } from '../../vocabulary/triage';
import type { ConsentCarry } from '../sharing/sharingDecision';
import { filedCategories, type FiledCategories } from './referralCategories';
import { draftConsent, referralBasis } from './referralConsent';
import { skipped } from '../flowKit';
import { draftReferrer } from '../identityQuestions';
import { referralQuestions as Q } from './referralQuestions';
import { words } from './referralWords';
import { categoryRaiseNote, categoryRaisedTo, consentCorrection, raiseNote, raisedTo } from './referralRaise';
import { pathwayFor } from '../../screening/categorise';

export { carriedConsentChoice, consentChoices, draftConsentChoice, referralBasis, referralLawfulBasisCodes, type ConsentChoice } from './referralConsent';
export { filedCategories, type FiledCategories } from './referralCategories';

/** What the referral is made from: the answers, who gave them, and what the conversation carried in. */
export interface ReferralDraft {
  answers: Record<string, AnswerValue>;
  by?: AnswerIdentity;
  /** The exploitation screening, when one ran: only exploitation needs one (issue 17). */
  screening?: ScreeningSummary;
  consent?: ConsentCarry;
  /** What the conversation's triage established: the chosen kind, the overrides that fired, the route's urgency. */
  triage?: TriageSummary;
  /** The multi-agency referral form's answers (issue 21), in their version 2 shape. */
  marf?: MarfFields;
}

const given = (draft: Pick<ReferralDraft, 'answers'>, question: string): string | undefined => {
  const value = draft.answers[question];
  return typeof value === 'string' && value !== skipped ? value : undefined;
};

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
    lookedAfter: Boolean(draft.screening?.vulnerabilities.includes('looked-after') || draft.screening?.lookedAfterElsewhere || draft.triage?.facts.includes('looked-after')),
  };
  return child;
}

/**
 * The urgency the MASH is asked for: the highest of the screening's, the triage route's and any
 * safety override's (guidance rules §6.2). Nothing later lowers an urgency already fixed.
 */
export function referralUrgency(draft: Pick<ReferralDraft, 'screening' | 'triage'> & { answers?: ReferralDraft['answers'] }): Urgency {
  // A raised category brings at least its own urgency, as a raise at the screening does (never less).
  const raised = categoryRaisedTo(draft.answers, assessedCategory(draft));
  const byCategory = raised === undefined ? undefined : pathwayFor(raised, false, []).urgency;
  return higherUrgency(higherUrgency(assessedUrgency(draft), raisedTo(draft.answers)), byCategory);
}

/**
 * The screening category before the professional raised it: the screening's, or for exploitation an
 * override's (the screening block's own sources, `screeningOf`); other concerns have none to raise.
 */
export function assessedCategory(draft: Pick<ReferralDraft, 'screening' | 'triage'>): number | undefined {
  return draft.screening?.category ?? (draft.triage?.kind === 'exploitation' ? draft.triage.overrides.category : undefined);
}

/** The category the MASH is sent: the assessed one, or higher when the professional raised it with a reason. */
export function referralCategory(draft: Pick<ReferralDraft, 'screening' | 'triage'> & { answers?: ReferralDraft['answers'] }): number | undefined {
  return categoryRaisedTo(draft.answers, assessedCategory(draft)) ?? assessedCategory(draft);
}

/** The urgency before the professional raised it (issue 21 item 3): the screening's, the route's, an override's. */
export function assessedUrgency(draft: Pick<ReferralDraft, 'screening' | 'triage'>): Urgency {
  if (!draft.screening && !draft.triage) throw new DomainError('SG-INTERNAL', 'a referral was built with neither a screening nor a triage');
  const fromScreening = draft.screening?.urgency ?? draft.triage!.urgency;
  return higherUrgency(higherUrgency(fromScreening, draft.triage?.urgency), draft.triage?.overrides.urgency);
}

/** The categories to file, in words too (the referrer confirms them on the summary). */
export function draftCategories(pack: ContentPack, draft: ReferralDraft): FiledCategories {
  const section = pack.referral!;
  const filed = filedCategories(section, draft.screening, draft.triage);
  // A version 2 body may name an exploitation category only with a screening: without one (which the
  // conversation should never allow, as exploitation always runs it) the override's screening stands in.
  if (screeningOf(pack, draft) || !filed.categories.some(isExploitationCategory)) return filed;
  return { categories: ['other'], formUnknown: false };
}

const isExploitationCategory = (category: ConcernCategoryV2) => ['cse', 'cce', 'trafficking', 'gangs', 'online'].includes(category);

/**
 * The screening block: the screening that ran, or, for an exploitation referral whose category a safety
 * override fixed before any screening, that override's result (overrides are the screening's own first
 * rule, §6.2). Never invented: without either there is no block.
 */
export function screeningOf(pack: ContentPack, draft: ReferralDraft): ReferralScreening | undefined {
  const section = pack.referral!;
  const labels = pack.screening?.indicators ?? {};
  const indicator = (id: string) => ({ id, label: labels[id]?.label ?? id });
  if (draft.screening) {
    return {
      tool: section.tool,
      version: pack.version,
      category: referralCategory(draft) as typeof draft.screening.category,
      indicators: draft.screening.indicators.map(indicator),
      rationale: draft.screening.rationale,
    };
  }
  const overrides = draft.triage?.overrides;
  if (draft.triage?.kind !== 'exploitation' || overrides?.category === undefined) return undefined;
  return {
    tool: section.tool,
    version: pack.version,
    category: referralCategory(draft) ?? overrides.category,
    indicators: draft.triage.facts.map(indicator),
    rationale: words(pack, 'ref-override-rationale'),
  };
}

export interface Submission {
  clientReference: string;
  /** The `at` of the answer that sent it: `submittedAt`. */
  at: string;
}

const v1Categories = new Set<string>(concernCategories);
const v1Reasons = new Set<string>(consentOverrideReasons);

/**
 * Whether a referral fits schemaVersion "1" without losing anything the MASH must act on: every
 * category and the consent reason are version 1 values, and there is a screening. The lawful basis
 * codes, the pack version and the fired overrides are not such facts: version 1 carries the basis in
 * words and the pack version as `screening.version`, and an exploitation referral's screening lists the
 * override signs. So today's referrals still go as version 1, to every MASH.
 */
export function fitsVersion1(categories: readonly string[], consent: ReferralConsentV2, screening: ReferralScreening | undefined): boolean {
  return screening !== undefined && categories.every((c) => v1Categories.has(c)) && (consent.overrideReason === undefined || v1Reasons.has(consent.overrideReason));
}

const present = (value: unknown): boolean =>
  value !== undefined &&
  !(Array.isArray(value) && value.length === 0) &&
  !(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => !present(v)));

/**
 * Whether the MARF answers hold anything only a version 2 body can carry: everything but the
 * referrer's phone, which version 1's Referrer already has. Empty lists and objects are nothing.
 */
export function hasVersion2Fields(marf: MarfFields | undefined): boolean {
  if (!marf) return false;
  const { referrer, ...rest } = marf;
  return present(referrer?.availability) || present(rest);
}

/** The MARF answers as the fields of a version 2 body (referrer and child merged in elsewhere); empty ones left out. */
function marfTopFields(marf: MarfFields | undefined): Omit<MarfFields, 'referrer' | 'child'> {
  if (!marf) return {};
  const { referrer: _referrer, child: _child, ...rest } = marf;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => present(v)));
}

/**
 * The body of `POST /referrals`: the lowest schema version that carries everything (see fitsVersion1
 * and hasVersion2Fields).
 * A version 1 body is exactly the body of issue 5, field for field and in the same order; anything else
 * is version 2. `immediateDanger` is false because immediate danger leaves for 999 before any referral;
 * the urgency (the highest the screening, the route or an override gave) carries how fast to act.
 */
export function buildReferralBody(pack: ContentPack, draft: ReferralDraft, { clientReference, at }: Submission): ReferralBody {
  const section = pack.referral!;
  const referrer = draftReferrer(draft) as Referrer;
  const { categories } = draftCategories(pack, draft);
  const screening = screeningOf(pack, draft);
  const consent = draftConsent(pack, section, draft);
  const head = {
    clientReference,
    submittedAt: at,
    channel: channelOf(draft.by?.channelId),
    referrer: {
      name: referrer.name,
      role: referrer.role,
      organisation: referrer.organisation,
      email: referrer.email,
      ...(draft.marf?.referrer?.phone ? { phone: draft.marf.referrer.phone } : {}),
    },
    child: draftChild(draft),
  };
  const raised = raiseNote(pack, assessedUrgency(draft), draft.answers);
  const categoryRaised = categoryRaiseNote(pack, assessedCategory(draft), draft.answers);
  const summary = [given(draft, Q.summary) ?? '', categoryRaised, raised].filter(Boolean).join('\n\n').slice(0, 5000);
  const urgency = referralUrgency(draft);
  if (fitsVersion1(categories, consent, screening) && !hasVersion2Fields(draft.marf)) {
    const { lawfulBasisCodes: _codes, ...v1Consent } = consent;
    const v1: ReferralBodyV1 = {
      schemaVersion: '1',
      ...head,
      concern: { summary, categories: categories as ConcernCategory[], immediateDanger: false },
      screening: screening!,
      consent: v1Consent as ReferralConsent,
      urgency,
    };
    return v1;
  }
  const triage = draft.triage;
  const v2: ReferralBodyV2 = {
    schemaVersion: '2',
    ...head,
    referrer: { ...head.referrer, ...(draft.marf?.referrer?.availability ? { availability: draft.marf.referrer.availability } : {}) },
    child: { ...head.child, ...draft.marf?.child },
    concern: { summary, categories, immediateDanger: false },
    ...(screening ? { screening } : {}),
    consent,
    urgency,
    guidanceVersion: pack.version,
    ...(triage ? { triage: { overrides: triage.overrides.fired.map((o) => o.id), steps: [...triage.steps] } } : {}),
    ...marfTopFields(draft.marf),
  };
  return v2;
}

/** A referral as a version 1 MASH takes it, and the MARF answers that stay behind in its record. */
export interface Version1Split {
  body: ReferralBodyV1;
  notSent: MarfFields;
}

/**
 * For a version 1 MASH (issue 21): a version 2 body whose only version 2 need is its MARF answers, as the
 * version 1 body without them, and those answers. Undefined when it needs version 2 for anything else (a
 * category, a consent reason, no screening): such a referral is still parked, never made to fit.
 * The lawful basis codes, pack version and triage record go as fitsVersion1 says they may.
 */
export function splitForVersion1(body: ReferralBody): Version1Split | undefined {
  if (body.schemaVersion === '1') return { body, notSent: {} };
  if (!fitsVersion1(body.concern.categories, body.consent, body.screening)) return undefined;
  const { availability, ...referrer } = body.referrer;
  const child: Record<string, unknown> = { ...body.child };
  const childNotSent: Record<string, unknown> = {};
  for (const name of marfChildFieldNames) {
    if (child[name] !== undefined) childNotSent[name] = child[name];
    delete child[name];
  }
  const top: Record<string, unknown> = {};
  for (const name of marfBodyFieldNames) if (present(body[name])) top[name] = body[name];
  const { lawfulBasisCodes: _codes, ...consent } = body.consent;
  const v1: ReferralBodyV1 = {
    schemaVersion: '1',
    clientReference: body.clientReference,
    submittedAt: body.submittedAt,
    channel: body.channel,
    referrer,
    child: child as ReferralChild,
    concern: { ...body.concern, categories: body.concern.categories as ConcernCategory[] },
    screening: body.screening!,
    consent: consent as ReferralConsent,
    urgency: body.urgency,
    ...(body.otherAgencies ? { otherAgencies: body.otherAgencies } : {}),
  };
  const notSent = {
    ...(availability ? { referrer: { availability } } : {}),
    ...(Object.keys(childNotSent).length ? { child: childNotSent } : {}),
    ...top,
  } as MarfFields;
  return { body: v1, notSent };
}

/** What the audit record keeps beside the body: the basis as codes even when the body (version 1) has only words. */
export interface ReferralAuditExtras {
  lawfulBasisCodes?: string[];
  overrides?: string[];
  concernKind?: string;
  /** Raised from the check page (issue 21 item 3): from and to, never the typed reason. */
  urgencyRaised?: { from: Urgency; to: Urgency };
  /** The screening category raised from the check page: from and to, never the typed reason. */
  categoryRaised?: { from: number; to: number };
  /** Consent corrected from the check page: the choice it was and is (codes), never the typed reason. */
  consentCorrected?: { from: string; to: string };
  /** Override answers corrected before the referral (ids only): the original facts, what they fired, the new ones. */
  overrideCorrections?: Array<{ originalFacts: string[]; originalFired: string[]; facts: string[]; fired: string[] }>;
}

function categoryRaisedExtra(draft: ReferralDraft): Pick<ReferralAuditExtras, 'categoryRaised'> {
  const from = assessedCategory(draft);
  const to = referralCategory(draft);
  return from !== undefined && to !== undefined && to > from ? { categoryRaised: { from, to } } : {};
}

export function referralAuditExtras(pack: ContentPack, draft: ReferralDraft): ReferralAuditExtras {
  const basis = referralBasis(pack, pack.referral!, draft);
  return {
    ...(basis.codes ? { lawfulBasisCodes: basis.codes } : {}),
    ...(consentCorrection(draft.answers) ? { consentCorrected: { from: consentCorrection(draft.answers)!.from, to: consentCorrection(draft.answers)!.to } } : {}),
    ...(referralUrgency(draft) !== assessedUrgency(draft) ? { urgencyRaised: { from: assessedUrgency(draft), to: referralUrgency(draft) } } : {}),
    ...categoryRaisedExtra(draft),
    ...(draft.triage ? { overrides: draft.triage.overrides.fired.map((o) => o.id), concernKind: draft.triage.kind } : {}),
    ...(draft.triage?.corrections?.length
      ? {
          overrideCorrections: draft.triage.corrections.map((c) => ({
            originalFacts: [...c.originalFacts],
            originalFired: [...c.originalFired],
            facts: [...c.facts],
            fired: [...c.fired],
          })),
        }
      : {}),
  };
}

/** A postcode's district (its outward code, "GL1" of "GL1 2TG"): as near a place as partnership insight goes. */
const districtOf = (postcode: string | undefined) => postcode?.split(' ')[0];

/**
 * The VOLT picture a referral gives partnership insight (issue 21 item 6): counts, postcode districts and
 * the concern categories as themes; never a name, a number, a plate or a typed word. Undefined with no
 * person or place of concern.
 */
export function voltCounts(body: ReferralBody): { persons: number; vehicles: number; places: number; districts: string[] } | undefined {
  if (body.schemaVersion !== '2') return undefined;
  const persons = body.personsOfConcern ?? [];
  const places = [...persons.flatMap((p) => p.places ?? []), ...(body.locations ?? [])];
  if (persons.length === 0 && places.length === 0) return undefined;
  const districts = [...new Set(places.map((p) => districtOf(p.postcode)).filter((d): d is string => d !== undefined))].sort();
  return { persons: persons.length, vehicles: persons.reduce((n, p) => n + (p.vehicles?.length ?? 0), 0), places: places.length, districts };
}

/**
 * What submitting asks of the I/O layer: the referral into the outbox (delivered with `Idempotency-Key`
 * = clientReference), and an audit record with the minimum identifiers (no name, no date of birth, no
 * NHS number: the decision, its reasons and the references that link it to the screening and the MASH).
 * Of the MARF answers only the VOLT counts (voltCounts): nothing typed reaches the audit log.
 */
export function referralEffects(body: ReferralBody, screeningId: string | undefined, organisationType?: string, extras: ReferralAuditExtras = {}): Effect[] {
  const { clientReference } = body;
  const volt = voltCounts(body);
  return [
    { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'referral', clientReference, body } },
    {
      kind: 'audit.append',
      id: clientReference,
      payload: {
        recordType: 'referral',
        clientReference,
        ...(screeningId ? { screeningId } : {}),
        ...(body.screening ? { category: body.screening.category } : {}),
        concernCategories: body.concern.categories,
        urgency: body.urgency,
        consentStatus: body.consent.status,
        ...(body.consent.overrideReason ? { consentReason: body.consent.overrideReason } : {}),
        schemaVersion: body.schemaVersion,
        // The pack version the referrer was advised on (issue 17 item 7); version 1 carries it as screening.version.
        guidanceVersion: body.schemaVersion === '2' ? body.guidanceVersion : body.screening.version,
        ...(extras.lawfulBasisCodes ? { lawfulBasisCodes: extras.lawfulBasisCodes } : {}),
        ...(extras.overrides?.length ? { overrides: extras.overrides } : {}),
        ...(extras.concernKind ? { concernKind: extras.concernKind } : {}),
        ...(extras.overrideCorrections?.length ? { overrideCorrections: extras.overrideCorrections } : {}),
        ...(extras.urgencyRaised ? { urgencyRaised: extras.urgencyRaised } : {}),
        ...(extras.categoryRaised ? { categoryRaised: extras.categoryRaised } : {}),
        ...(extras.consentCorrected ? { consentCorrected: extras.consentCorrected } : {}),
        ...(volt ? { volt } : {}),
        // The type, never the organisation's name: partnership insight reports by type (issue 11).
        ...(organisationType ? { organisationType } : {}),
        recordedAt: body.submittedAt,
      },
    },
  ];
}
