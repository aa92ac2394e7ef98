import type { AnswerIdentity, AnswerValue } from '../protocol';
import type { Referrer } from '../referral/contract';
import { validateEmail } from '../validation/email';
import { skipped } from './flowKit';

/**
 * Who is referring or sharing: the questions the referral and the intelligence flows both ask, defined
 * here once. The ids are contracts (tests and UIs use them); the MASH contract requires every field.
 */
export const identityQuestions = {
  role: 'ref-referrer-role',
  org: 'ref-referrer-org',
  email: 'ref-referrer-email',
  /** Asked only when the channel does not give the professional's name. */
  name: 'ref-referrer-name',
} as const;

const Q = identityQuestions;

/** The answers and who gave them (the runtime stamps the sign-in's identity on every answer). */
export interface IdentityDraft {
  answers: Record<string, AnswerValue>;
  by?: AnswerIdentity;
}

export type IdentityField = 'name' | 'role' | 'organisation' | 'email';

const within = (value: string | undefined, max: number): string | undefined => {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
};

const defined = (found: Partial<Referrer>): Partial<Referrer> => Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));

/** The referrer details the channel's sign-in gives, when they would pass the MASH contract. */
export function identityReferrer(by: AnswerIdentity | undefined): Partial<Referrer> {
  const email = by?.email ? validateEmail(by.email) : undefined;
  return defined({
    name: within(by?.name, 200),
    role: within(by?.role, 200),
    organisation: within(by?.organisation, 200),
    email: email?.ok ? email.value : undefined,
  });
}

const given = (draft: Pick<IdentityDraft, 'answers'>, question: string): string | undefined => {
  const value = draft.answers[question];
  return typeof value === 'string' && value !== skipped ? value : undefined;
};

/** What the professional typed wins over the sign-in: they were asked because the sign-in lacked it. */
export function draftReferrer(draft: IdentityDraft): Partial<Referrer> {
  const identity = identityReferrer(draft.by);
  return defined({
    name: given(draft, Q.name) ?? identity.name,
    role: given(draft, Q.role) ?? identity.role,
    organisation: given(draft, Q.org) ?? identity.organisation,
    email: given(draft, Q.email) ?? identity.email,
  });
}

/** The referrer's lines of a summary to check (the referral's and the intelligence's), keyed by question id. */
export function referrerLines(draft: IdentityDraft): Array<[string, string | undefined]> {
  const referrer = draftReferrer(draft);
  return [
    [Q.name, referrer.name],
    [Q.role, referrer.role],
    [Q.org, referrer.organisation],
    [Q.email, referrer.email],
  ];
}

/** The `identityHas` guard, registered by each flow that asks the referrer questions. */
export function identityHas({ context }: { context: { by?: AnswerIdentity } }, params: { field: IdentityField }): boolean {
  return identityReferrer(context.by)[params.field] !== undefined;
}

/**
 * The referrer states, `role → org → email → name → then`: each is asked with the flow's own `step` (the
 * referral's returns to its confirmation while an answer is being changed) and passed over when the
 * sign-in already gives it. The state ids are stable: saved conversations resume in them.
 */
export function identityStates<const S extends object>(step: (question: string, next: string) => S, then: string) {
  const state = <const F extends IdentityField>(field: F, question: string, next: string) => {
    const asked = step(question, next);
    // The flow's own passes (the referral's carried answers) stay, after the sign-in's.
    const own = 'always' in asked && Array.isArray(asked.always) ? (asked.always as ReadonlyArray<S extends { always: ReadonlyArray<infer A> } ? A : never>) : [];
    return { ...asked, always: [{ guard: { type: 'identityHas' as const, params: { field } }, target: next }, ...own] };
  };
  return {
    role: state('role', Q.role, 'org'),
    org: state('organisation', Q.org, 'email'),
    email: state('email', Q.email, 'name'),
    name: state('name', Q.name, then),
  };
}
