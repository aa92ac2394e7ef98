/**
 * The parts of the MASH intake contract (issue 5, `POST /referrals` and `POST /intelligence`; issue 17,
 * referral schemaVersion "2") that the flows build. The one definition of the wire is the zod schema in
 * integrations/mash/referralSchema.ts; flows/ imports nothing from integrations/, so the enums are copied
 * here and contract.test.ts compares them, and built bodies, with it (imported only there).
 */

/** Version 1's categories (issue 5), unchanged; also the themes of intelligence. */
export const concernCategories = ['cse', 'cce', 'missing', 'trafficking', 'online', 'peer-on-peer', 'gangs', 'other'] as const;
/** Version 2's: `child-on-child` is sent (the term since 2022), `peer-on-peer` still accepted. */
export const concernCategoriesV2 = [
  ...concernCategories,
  'child-on-child',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'neglect',
  'domestic-abuse',
  'radicalisation',
  'fgm',
  'forced-marriage',
] as const;
/** Categories a version 2 body may carry only with a screening. */
export const exploitationCategories = ['cse', 'cce', 'trafficking', 'gangs', 'online'] as const;
export const consentStatuses = ['given', 'not-sought', 'refused'] as const;
export const consentOverrideReasons = ['cannot-consent', 'not-reasonable', 'would-increase-risk', 'prejudice-crime', 'overridden-refusal'] as const;
/** Version 2 adds `risk-of-harm`: not sought because a child is at risk of harm, so consent is not needed. */
export const consentOverrideReasonsV2 = [...consentOverrideReasons, 'risk-of-harm'] as const;
export const urgencies = ['immediate', 'same-day', 'routine'] as const;
export const channels = ['msteams', 'webchat'] as const;

export type ConcernCategory = (typeof concernCategories)[number];
export type ConcernCategoryV2 = (typeof concernCategoriesV2)[number];
export type ConsentStatus = (typeof consentStatuses)[number];
export type ConsentOverrideReason = (typeof consentOverrideReasons)[number];
export type ConsentOverrideReasonV2 = (typeof consentOverrideReasonsV2)[number];
export type Urgency = (typeof urgencies)[number];
export type Channel = (typeof channels)[number];

export type Referrer = { name: string; role: string; organisation: string; email: string; phone?: string };

export type ReferralChild = {
  firstName: string;
  lastName: string;
  dateOfBirth?: string;
  ageYears?: number;
  nhsNumber?: string;
  upn?: string;
  address?: { postcode?: string };
  school?: string;
  lookedAfter: boolean;
};

export type ReferralConsent = { status: ConsentStatus; overrideReason?: ConsentOverrideReason; details?: string; lawfulBasis: string };
export type ReferralConsentV2 = {
  status: ConsentStatus;
  overrideReason?: ConsentOverrideReasonV2;
  details?: string;
  lawfulBasis: string;
  lawfulBasisCodes?: string[];
};
export type ReferralScreening = { tool: string; version: string; category: number; indicators: Array<{ id: string; label: string }>; rationale: string };

/** The body of `POST /referrals`, schemaVersion "1". A type alias, so it is a plain record for effect payloads. */
export type ReferralBodyV1 = {
  schemaVersion: '1';
  clientReference: string;
  submittedAt: string;
  channel: Channel;
  referrer: Referrer;
  child: ReferralChild;
  concern: { summary: string; categories: ConcernCategory[]; immediateDanger: boolean };
  screening: ReferralScreening;
  consent: ReferralConsent;
  urgency: Urgency;
  otherAgencies?: string[];
};

/**
 * schemaVersion "2": any kind of concern; `screening` only where an exploitation category needs it;
 * the pack version advised on; the overrides that fired and the steps the referrer was given.
 */
export type ReferralBodyV2 = {
  schemaVersion: '2';
  clientReference: string;
  submittedAt: string;
  channel: Channel;
  referrer: Referrer;
  child: ReferralChild;
  concern: { summary: string; categories: ConcernCategoryV2[]; immediateDanger: boolean };
  screening?: ReferralScreening;
  consent: ReferralConsentV2;
  urgency: Urgency;
  guidanceVersion: string;
  triage?: { overrides: string[]; steps: string[] };
  otherAgencies?: string[];
};

export type ReferralBody = ReferralBodyV1 | ReferralBodyV2;

/** The body of `POST /intelligence`: soft intelligence as VOLT (victims, offenders, locations, themes). */
export type IntelligenceBody = {
  schemaVersion: '1';
  clientReference: string;
  submittedAt: string;
  channel: Channel;
  source: Referrer;
  summary: string;
  volt: { victims?: string; offenders?: string; locations?: string; vehicles?: string; themes: ConcernCategory[] };
};

/** Teams is `msteams`; every other channel (Web Chat over Direct Line, the emulator, tests) files as `webchat`. */
export function channelOf(channelId: string | undefined): Channel {
  return channelId === 'msteams' ? 'msteams' : 'webchat';
}
