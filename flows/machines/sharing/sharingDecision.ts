import { createHash } from 'node:crypto';
import type { ContentPack } from '../../content/packSchema';
import type { AnswerValue, Effect } from '../../protocol';

/** Where "Should I share this?" can end (issue 3); part of the contract with UIs and the audit log. */
export const sharingOutcomes = ['share', 'share-without-consent', 'seek-consent', 'do-not-share', 'seek-advice', 'emergency'] as const;
export type SharingOutcome = (typeof sharingOutcomes)[number];

/** Why information may be shared without consent. */
export const sharingReasons = ['would-increase-risk', 'prejudice-crime', 'cannot-consent', 'not-reasonable', 'overridden-refusal'] as const;
export type SharingReason = (typeof sharingReasons)[number];

export type ConsentStatus = 'given' | 'refused' | 'not-asked';

/**
 * The lawful basis for sharing without consent, as a stable code (the words are in the pack):
 * UK GDPR Art. 6(1)(e) public task, with DPA 2018 Sch. 1 Pt 2 para 18 for special category data.
 */
export const withoutConsentBasis = 'uk-gdpr-art-6-1-e+dpa-2018-sch-1-pt-2-para-18';

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
  harm: 'share-significant-harm',
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
  lawfulBasis?: string;
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
  lawfulBasis?: string;
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
  const digest = createHash('sha256').update(JSON.stringify([at ?? '', sequence, answers, ...salt])).digest('hex');
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

export function buildDecision(pack: ContentPack, { pending, answers, sequence, at, ref }: DecisionInput): SharingDecision {
  const recipient = answers[sharingQuestions.recipient];
  return defined({
    type: 'safeguarding.sharingDecision' as const,
    decisionId: decisionIdOf(answers, sequence, at, ref),
    outcome: pending.outcome,
    reason: pending.reason,
    lawfulBasis: pending.outcome === 'share-without-consent' ? withoutConsentBasis : undefined,
    recipient: typeof recipient === 'string' ? recipient : undefined,
    answers: { ...answers },
    rules: rulesFor(pack, pending.outcome),
    contentVersion: pack.version,
    recordedAt: at,
  });
}

/** The decision record for the audit log; the I/O layer adds who made it before appending. */
export function auditEffect(decision: SharingDecision): Effect {
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
    lawfulBasis: decision.lawfulBasis,
    recipient: decision.recipient,
  });
}
