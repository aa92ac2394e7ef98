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
  /** Issue 21: whether the family knows of the referral and, when not, why (guidance rules R2.4). */
  familyAware: 'ref-family-aware',
  notToldReason: 'ref-family-not-told-reason',
  /** Asked when the family knows but some of it must not be shared with them. */
  confidential: 'ref-confidential-from-family',
  childViews: 'ref-child-views',
  childsWords: 'ref-childs-words',
  /** The sharing flow's question, asked here when no sharing decision gave it: the Art 6 basis depends on it (R3.2). */
  orgKind: 'share-org-kind',
  /** Who is referring: the questions the intelligence flow asks too (`identityQuestions`). */
  ...identityQuestions,
  /** Asked every time (a MASH rings back within hours), offered from the sign-in when it has one. */
  phone: 'ref-referrer-phone',
  /** The optional sections, offered as one choice list with a `skip`. */
  sections: 'ref-sections',
  household: 'ref-household',
  personsOfConcern: 'ref-persons-of-concern',
  agencies: 'ref-agencies',
  childMore: 'ref-child-more',
  /** From the check page: raise the urgency (never lower it), with a reason (issue 21 item 3). */
  raiseUrgency: 'ref-raise-urgency',
  raiseReason: 'ref-raise-reason',
  /** From the check page: raise the screening category (never lower it), with a reason (issue 21 item 3). */
  raiseCategory: 'ref-raise-category',
  raiseCategoryReason: 'ref-raise-category-reason',
  /** After consent is changed from the check page: why (the correction is audited, issue 21 item 3). */
  consentReason: 'ref-consent-change-reason',
  confirm: 'ref-confirm',
  /** After `change` at the confirmation: which answer to change (only those actually asked are offered). */
  change: 'ref-change-field',
  next: 'ref-next',
} as const;

const Q = referralQuestions;

/** The answers a professional can change from the confirmation, in the order of the summary. */
export const changeableQuestions = [
  Q.firstName,
  Q.lastName,
  Q.dob,
  Q.nhs,
  Q.upn,
  Q.postcode,
  Q.school,
  Q.summary,
  Q.consent,
  Q.orgKind,
  Q.role,
  Q.org,
  Q.email,
  Q.name,
  Q.phone,
  Q.familyAware,
  Q.notToldReason,
  Q.confidential,
  Q.childViews,
  Q.childsWords,
  Q.household,
  Q.personsOfConcern,
  Q.agencies,
  Q.childMore,
] as const;

/** The optional sections by their `ref-sections` choice value, each asked entry by entry until "that's all". */
export const sectionQuestions = { household: Q.household, 'persons-of-concern': Q.personsOfConcern, agencies: Q.agencies, 'child-more': Q.childMore } as const;
export type SectionId = keyof typeof sectionQuestions;
export const isSectionQuestion = (question: string): boolean => Object.values(sectionQuestions).includes(question as (typeof sectionQuestions)[SectionId]);

/** Every answer that goes into the referral (the rest steer the flow). */
export const fieldQuestions: readonly string[] = [
  ...changeableQuestions,
  Q.age,
  Q.sections,
  Q.raiseUrgency,
  Q.raiseReason,
  Q.raiseCategory,
  Q.raiseCategoryReason,
  Q.consentReason,
];

/** Not a question: the consent answer before it was first corrected from the check page, kept with the answers (and the draft). */
export const consentBeforeKey = 'consent-corrected-from';

/** Not a question: the reference that links the referrals of children in one household (issue 21 item 5). */
export const householdReferenceKey = 'household-reference';

/** The answers a brother's or sister's referral takes on: the household, who refers, the family's answers. */
export const siblingQuestions: readonly string[] = [
  Q.household,
  householdReferenceKey,
  Q.orgKind,
  Q.role,
  Q.org,
  Q.email,
  Q.name,
  Q.phone,
  Q.familyAware,
  Q.notToldReason,
  Q.confidential,
  Q.sections,
];

/** The change-field choice that raises the urgency. */
export const raiseChoice = 'raise-urgency';

/** The change-field choice that raises the screening category. */
export const raiseCategoryChoice = 'raise-category';
