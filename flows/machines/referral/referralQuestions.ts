import { identityQuestions } from '../identityQuestions';

/** The question ids of the referral flow, in the order asked; part of the contract (tests and UIs use them). */
export const referralQuestions = {
  firstName: 'ref-child-first-name',
  lastName: 'ref-child-last-name',
  dob: 'ref-child-dob',
  age: 'ref-child-age',
  nhs: 'ref-child-nhs',
  upn: 'ref-child-upn',
  postcode: 'ref-child-postcode',
  school: 'ref-child-school',
  summary: 'ref-concern-summary',
  consent: 'ref-consent-status',
  /** The sharing flow's question, asked here when no sharing decision gave it: the Art 6 basis depends on it (R3.2). */
  orgKind: 'share-org-kind',
  /** Who is referring: the questions the intelligence flow asks too (`identityQuestions`). */
  ...identityQuestions,
  confirm: 'ref-confirm',
  /** After `change` at the confirmation: which answer to change (only those actually asked are offered). */
  change: 'ref-change-field',
  next: 'ref-next',
} as const;

const Q = referralQuestions;

/** The answers a professional can change from the confirmation, in the order of the summary. */
export const changeableQuestions = [Q.firstName, Q.lastName, Q.dob, Q.nhs, Q.upn, Q.postcode, Q.school, Q.summary, Q.consent, Q.orgKind, Q.role, Q.org, Q.email, Q.name] as const;

/** Every answer that goes into the referral (the rest steer the flow). */
export const fieldQuestions: readonly string[] = [...changeableQuestions, Q.age];
