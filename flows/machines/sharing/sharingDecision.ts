import { createHash } from 'node:crypto';
import type { ContentPack } from '../../content/packSchema';
import { DomainError } from '../../errors';
import type { EffectOf } from '../../effects';
import type { AnswerValue } from '../../vocabulary/answers';
import { lawfulBasisCodesFor, lawfulBasisWords, orgKinds, type OrgKind } from './lawfulBasis';

/** Where "Should I share this?" can end (issue 3); part of the contract with UIs and the audit log. */
export const sharingOutcomes = ['share', 'share-without-consent', 'seek-consent', 'do-not-share', 'seek-advice', 'emergency'] as const;
export type SharingOutcome = (typeof sharingOutcomes)[number];

/**
 * Why information may be shared without consent. `risk-of-harm` is the 2024 ground itself (a child is at
 * risk or perceived risk of harm, so consent is not needed) and `overridden-refusal` the same ground after
 * a refusal; the other four arise only where the professional has said no child is at risk of harm.
 */
export const sharingReasons = ['would-increase-risk', 'prejudice-crime', 'cannot-consent', 'not-reasonable', 'overridden-refusal', 'risk-of-harm'] as const;
export type SharingReason = (typeof sharingReasons)[number];

export type ConsentStatus = 'given' | 'refused' | 'not-asked';

/** Whether to tell the family now (R2.3, R2.4): never where that could raise the risk or alert an abuser. */
export type TellFamily = 'yes' | 'not-now';

/** The question ids of the flow; part of the contract (tests and UIs use them). */
export const sharingQuestions = {
  purpose: 'share-purpose',
  danger: 'share-immediate-danger',
  identifies: 'share-identifies',
  consent: 'share-consent-status',
  risk: 'share-consent-increases-risk',
  crime: 'share-consent-prejudice-crime',
  canConsent: 'share-can-consent',
  reasonable: 'share-reasonable-to-ask',
  /**
   * The 2018 test ("reasonable cause to believe … significant harm"). No longer asked: the 2024 advice
   * shares without consent on a risk or perceived risk of harm (`riskOfHarm`). Its pack entry stays, as a
   * question id is a contract and the README lists it.
   */
  harm: 'share-significant-harm',
  riskOfHarm: 'share-risk-of-harm',
  orgKind: 'share-org-kind',
  recipient: 'share-recipient',
  next: 'share-next',
} as const;

/** An outcome settled by the answers so far, waiting (for share* outcomes) on the recipient. */
export type Pending = { outcome: SharingOutcome; reason?: SharingReason };

/** The `value` of the result message: the machine-readable decision. A type alias, so it is a plain record. */
export type SharingDecision = {
  type: 'safeguarding.sharingDecision';
  decisionId: string;
  outcome: SharingOutcome;
  reason?: SharingReason;
  /** Who is sharing; absent only where nothing identifiable is shared. */
  orgKind?: OrgKind;
  /** The basis as codes (lawfulBasis.ts); empty where nothing identifies anyone or nothing is shared. */
  lawfulBasisCodes: string[];
  /** The same basis in the pack's words (the MASH and the record read these). */
  lawfulBasis?: string;
  tellFamily?: TellFamily;
  recipient?: string;
  answers: Record<string, AnswerValue>;
  rules: string[];
  contentVersion: string;
  /** When the deciding answer was given; absent only if the runtime did not stamp its events. */
  recordedAt?: string;
};

/** What a referral needs from the decision so it does not ask about consent again. */
export type ConsentCarry = {
  decisionId: string;
  outcome: SharingOutcome;
  reason?: SharingReason;
  status?: ConsentStatus;
  orgKind?: OrgKind;
  /** Optional so a carry from an older persisted snapshot still reads; every new decision sets it. */
  lawfulBasisCodes?: string[];
  lawfulBasis?: string;
  tellFamily?: TellFamily;
  recipient?: string;
};

/** Drops undefined fields, so values, payloads and persisted snapshots all have the same shape. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Same answers, same time, same count → same id: a replayed or retried turn asks for the same audit
 * append, which the audit log keeps once. `at` keeps two professionals' identical decisions apart.
 */
export function decisionIdOf(answers: Record<string, AnswerValue>, sequence: number, at?: string, ref?: string): string {
  const salt = ref ? [ref] : []; // the conversation's salt keeps identical decisions elsewhere apart
  const digest = createHash('sha256')
    .update(JSON.stringify([at ?? '', sequence, answers, ...salt]))
    .digest('hex');
  return `share-${digest.slice(0, 24)}`;
}

/** The golden rules the pack says a decision rests on, in pack order. */
export function rulesFor(pack: ContentPack, outcome: SharingOutcome): string[] {
  return Object.entries(pack.rules)
    .filter(([, rule]) => rule.appliesTo.includes(outcome))
    .map(([id]) => id);
}

export interface DecisionInput {
  pending: Pending;
  answers: Record<string, AnswerValue>;
  sequence: number;
  at?: string;
  ref?: string;
}

const isOrgKind = (value: AnswerValue | undefined): value is OrgKind => typeof value === 'string' && (orgKinds as readonly string[]).includes(value);

/** Outcomes on which information is (or, once agreed, will be) shared; the others share nothing yet. */
const sharesOn: ReadonlySet<SharingOutcome> = new Set(['share', 'share-without-consent', 'emergency', 'seek-consent']);

/**
 * The basis of a decision, as codes and words. Every identifying share records one, including a share
 * with agreement and an emergency (R3.8); "not applicable" only when nothing identifies anyone. A
 * decision that shares nothing (do not share, get advice) has neither codes nor words.
 */
function basisOf(pack: ContentPack, outcome: SharingOutcome, reason: SharingReason | undefined, answers: Record<string, AnswerValue>) {
  if (!sharesOn.has(outcome)) return { lawfulBasisCodes: [] };
  const orgKind = answers[sharingQuestions.orgKind];
  // In an emergency nobody was asked whether it identifies anyone: what 999 needs usually does.
  const identifies = outcome === 'emergency' || answers[sharingQuestions.identifies] === 'yes';
  if (!identifies) return { lawfulBasisCodes: [], lawfulBasis: lawfulBasisWords(pack, []) };
  // The flow asks who is sharing before every identifying outcome; without it no basis can be named.
  if (!isOrgKind(orgKind)) throw new DomainError('SG-INTERNAL', 'an identifying sharing decision was made before the organisation kind was asked');
  const crime = reason === 'prejudice-crime' || answers[sharingQuestions.recipient] === 'police';
  const codes = lawfulBasisCodesFor({ orgKind, emergency: outcome === 'emergency', crime, identifies });
  return { orgKind, lawfulBasisCodes: codes, lawfulBasis: lawfulBasisWords(pack, codes) };
}

/**
 * Whether to tell the family: not where the professional said telling them (or asking them) could raise
 * the risk, alert a suspect or harm an investigation. Only for identifying shares; an emergency leaves it
 * to the MASH or police.
 */
function tellFamilyOf(outcome: SharingOutcome, reason: SharingReason | undefined, answers: Record<string, AnswerValue>): TellFamily | undefined {
  if ((outcome !== 'share' && outcome !== 'share-without-consent') || answers[sharingQuestions.identifies] !== 'yes') return undefined;
  const raisesRisk = answers[sharingQuestions.risk] === 'yes' || reason === 'prejudice-crime';
  return raisesRisk ? 'not-now' : 'yes';
}

export function buildDecision(pack: ContentPack, { pending, answers, sequence, at, ref }: DecisionInput): SharingDecision {
  const recipient = answers[sharingQuestions.recipient];
  return defined({
    type: 'safeguarding.sharingDecision' as const,
    decisionId: decisionIdOf(answers, sequence, at, ref),
    outcome: pending.outcome,
    reason: pending.reason,
    ...basisOf(pack, pending.outcome, pending.reason, answers),
    tellFamily: tellFamilyOf(pending.outcome, pending.reason, answers),
    recipient: typeof recipient === 'string' ? recipient : undefined,
    answers: { ...answers },
    rules: rulesFor(pack, pending.outcome),
    contentVersion: pack.version,
    recordedAt: at,
  });
}

/** The decision record for the audit log; the I/O layer adds who made it before appending. */
export function auditEffect(decision: SharingDecision): EffectOf<'audit.append'> {
  const { type: _type, ...record } = decision;
  void _type;
  return { kind: 'audit.append', id: decision.decisionId, payload: { recordType: 'sharing-decision', ...record } };
}

export function consentCarry(decision: SharingDecision): ConsentCarry {
  const status = decision.answers[sharingQuestions.consent];
  return defined({
    decisionId: decision.decisionId,
    outcome: decision.outcome,
    reason: decision.reason,
    status: status === 'given' || status === 'refused' || status === 'not-asked' ? status : undefined,
    orgKind: decision.orgKind,
    lawfulBasisCodes: [...decision.lawfulBasisCodes],
    lawfulBasis: decision.lawfulBasis,
    tellFamily: decision.tellFamily,
    recipient: decision.recipient,
  });
}
