import { randomBytes } from 'node:crypto';
import type { IntelligenceBody, ReferralBody } from '../../integrations';

/** A fresh client reference, as a turn would make one. */
export function newClientReference(prefix = 'ref'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A complete, valid referral about a synthetic child (synthetic NHS number and UPN; nobody real). */
export function referralBody(overrides: Partial<ReferralBody> = {}): ReferralBody {
  return {
    schemaVersion: '1',
    clientReference: newClientReference(),
    submittedAt: '2025-06-15T10:00:00Z',
    channel: 'msteams',
    referrer: { name: 'Sam Teacher', role: 'Designated safeguarding lead', organisation: 'Example Academy', email: 'dsl@example.sch.uk' },
    child: {
      firstName: 'Test',
      lastName: 'Example',
      dateOfBirth: '2011-04-02',
      nhsNumber: '9434765919',
      upn: 'M916200024001',
      address: { postcode: 'GL1 2TG' },
      lookedAfter: false,
    },
    concern: { summary: 'Seen getting into cars with older men after school.', categories: ['cse'], immediateDanger: false },
    screening: {
      tool: 'gloucestershire-cse',
      version: '1',
      category: 2,
      indicators: [{ id: 'older-partner', label: 'Relationship with an older person' }],
      rationale: 'Two moderate indicators.',
    },
    consent: { status: 'not-sought', overrideReason: 'would-increase-risk', lawfulBasis: 'UK GDPR Art 6(1)(e); DPA 2018 Sch 1 para 18' },
    urgency: 'same-day',
    ...overrides,
  };
}

/** Valid partnership intelligence (VOLT), synthetic. */
export function intelligenceBody(overrides: Partial<IntelligenceBody> = {}): IntelligenceBody {
  return {
    schemaVersion: '1',
    clientReference: newClientReference('intel'),
    submittedAt: '2025-06-15T10:00:00Z',
    channel: 'webchat',
    source: { name: 'Jo Worker', role: 'Youth worker', organisation: 'Example Youth Service', email: 'jo@example.org.uk' },
    summary: 'Young people gathering at a takeaway late at night, adults handing out vapes.',
    volt: { locations: 'Takeaway near the bus station', vehicles: 'Silver hatchback, partial plate AB12', themes: ['cse', 'cce'] },
    ...overrides,
  };
}
