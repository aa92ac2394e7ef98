/**
 * The parts of the MASH intake contract (issue 5, `POST /referrals` and `POST /intelligence`) that the
 * flows build. flows/ imports nothing from integrations/, so the enums are copied here; contract.test.ts
 * compares them, and a built body, with the zod schemas in integrations/mash (imported only there).
 */

export const concernCategories = ['cse', 'cce', 'missing', 'trafficking', 'online', 'peer-on-peer', 'gangs', 'other'] as const;
export const consentStatuses = ['given', 'not-sought', 'refused'] as const;
export const consentOverrideReasons = ['cannot-consent', 'not-reasonable', 'would-increase-risk', 'prejudice-crime', 'overridden-refusal'] as const;
export const urgencies = ['immediate', 'same-day', 'routine'] as const;
export const channels = ['msteams', 'webchat'] as const;

export type ConcernCategory = (typeof concernCategories)[number];
export type ConsentStatus = (typeof consentStatuses)[number];
export type ConsentOverrideReason = (typeof consentOverrideReasons)[number];
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

/** The body of `POST /referrals`, schemaVersion "1". A type alias, so it is a plain record for effect payloads. */
export type ReferralBody = {
  schemaVersion: '1';
  clientReference: string;
  submittedAt: string;
  channel: Channel;
  referrer: Referrer;
  child: ReferralChild;
  concern: { summary: string; categories: ConcernCategory[]; immediateDanger: boolean };
  screening: { tool: string; version: string; category: number; indicators: Array<{ id: string; label: string }>; rationale: string };
  consent: ReferralConsent;
  urgency: Urgency;
  otherAgencies?: string[];
};

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
