import { referralBodySchema, referralBodyV1Schema, referralBodyV2Schema } from '../../referral/contract';
import type { AnswerValue } from '../../protocol';
import type { OverrideResult, TriageSummary } from '../../vocabulary/triage';
import type { ConsentCarry } from '../sharing/sharingDecision';
import { buildReferralBody, referralEffects, referralAuditExtras, type ReferralDraft } from './referralBody';
import { reviewText } from './referralText';
import { pack, screeningSummary } from './referralTestKit';

const submission = { clientReference: 'SG-0123456789AB', at: '2026-03-02T10:00:00.000Z' };
const answers: Record<string, AnswerValue> = {
  'ref-child-first-name': 'Test',
  'ref-child-last-name': 'Child',
  'ref-child-dob': '2012-05-14',
  'ref-child-nhs': '9434765919',
  'ref-child-upn': 'skip',
  'ref-child-postcode': 'GL1 2TG',
  'ref-child-school': 'Example Academy',
  'ref-concern-summary': 'She has an older boyfriend and is picked up from school by men in cars.',
  'ref-consent-status': 'not-sought-would-increase-risk',
  'ref-referrer-role': 'Designated safeguarding lead',
  'ref-referrer-org': 'Example Academy',
  'ref-referrer-email': 'dsl@example.sch.uk',
  'ref-referrer-name': 'Sam Teacher',
};
const noOverrides: OverrideResult = { fired: [], steps: [] };

function triage(overrides: Partial<TriageSummary> = {}): TriageSummary {
  return { about: 'child', age: 13, kind: 'physical-abuse', facts: [], overrides: noOverrides, urgency: 'same-day', steps: ['mash-today', 'strategy-discussion'], ...overrides };
}

const build = (draft: Partial<ReferralDraft>) => buildReferralBody(pack, { answers, by: { channelId: 'msteams' }, ...draft }, submission);

describe('a referral made the way it was before issue 17 (from a screening, no new value)', () => {
  it('is still schemaVersion "1", byte for byte the body of issue 5 (only the pack version and lawful basis words come from the pack)', () => {
    const body = build({ screening: screeningSummary() });
    // Captured from the code before issue 17, with the two values the pack supplies filled from it.
    const golden =
      '{"schemaVersion":"1","clientReference":"SG-0123456789AB","submittedAt":"2026-03-02T10:00:00.000Z","channel":"msteams",' +
      '"referrer":{"name":"Sam Teacher","role":"Designated safeguarding lead","organisation":"Example Academy","email":"dsl@example.sch.uk"},' +
      '"child":{"firstName":"Test","lastName":"Child","dateOfBirth":"2012-05-14","nhsNumber":"9434765919","address":{"postcode":"GL1 2TG"},"school":"Example Academy","lookedAfter":true},' +
      '"concern":{"summary":"She has an older boyfriend and is picked up from school by men in cars.","categories":["cse","missing"],"immediateDanger":false},' +
      `"screening":{"tool":"Gloucestershire exploitation screening","version":${JSON.stringify(pack.version)},"category":3,` +
      '"indicators":[{"id":"older-partner","label":"Older partner"},{"id":"vehicles","label":"Vehicles driven by unknown adults"},{"id":"missing","label":"Going missing"}],' +
      '"rationale":"Category 3 (moderate): two significant indicators, older partner and vehicles driven by unknown adults."},' +
      `"consent":{"status":"not-sought","overrideReason":"would-increase-risk","lawfulBasis":${JSON.stringify(pack.referral!.lawfulBasis.text)}},` +
      '"urgency":"same-day"}';
    expect(JSON.stringify(body)).toBe(golden);
    expect(referralBodyV1Schema.parse(body)).toEqual(body);
  });

  it('stays version 1 when a sharing decision gives the kind of organisation: the basis codes go to the audit record, not the body', () => {
    const draft: ReferralDraft = { answers: { ...answers, 'share-org-kind': 'other-organisation' }, by: { channelId: 'msteams' }, screening: screeningSummary() };
    const body = buildReferralBody(pack, draft, submission);
    expect(body.schemaVersion).toBe('1');
    expect(body.consent.lawfulBasis).toMatch(/^UK GDPR Article 6\(1\)\(ea\) recognised legitimate interest, Annex 1 paragraph 6/);
    const [, audit] = referralEffects(body, 'scr-1', 'school', referralAuditExtras(pack, draft));
    expect(audit.payload).toMatchObject({
      schemaVersion: '1',
      guidanceVersion: pack.version,
      lawfulBasisCodes: ['uk-gdpr-6-1-ea:annex1-6', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36'],
    });
  });
});

describe('a referral that is not about exploitation', () => {
  it('is version 2 without a screening, filed under the kind the professional chose, with the pack version and the steps', () => {
    const body = build({ triage: triage(), answers: { ...answers, 'ref-consent-status': 'not-sought-risk-of-harm', 'share-org-kind': 'public-body' } });
    expect(referralBodyV2Schema.parse(body)).toEqual(body);
    expect(referralBodyV1Schema.safeParse(body).success).toBe(false); // a version 1 MASH could not take it
    expect(body).toMatchObject({
      schemaVersion: '2',
      concern: { categories: ['physical-abuse'] },
      consent: { status: 'not-sought', overrideReason: 'risk-of-harm', lawfulBasisCodes: ['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36'] },
      urgency: 'same-day',
      guidanceVersion: pack.version,
      triage: { overrides: [], steps: ['mash-today', 'strategy-discussion'] },
    });
    expect(body.screening).toBeUndefined();
  });

  it('sends child-on-child, never peer-on-peer, and shows it as "Child-on-child abuse"', () => {
    const draft: ReferralDraft = { answers, triage: triage({ kind: 'child-on-child' }) };
    expect(build(draft).concern.categories).toEqual(['child-on-child']);
    expect(reviewText(pack, draft)).toMatch(/- Kind of concern: Child-on-child abuse\n/);
    expect(reviewText(pack, draft)).not.toMatch(/peer/i);
  });
});

describe('urgency', () => {
  it('is the highest of the screening, the route and any override, never lowered', () => {
    const fired: OverrideResult = {
      fired: [{ id: 'under-13-sexual-activity', category: 4, urgency: 'immediate', steps: ['police-now'] }],
      category: 4,
      urgency: 'immediate',
      steps: ['police-now'],
    };
    const body = build({
      screening: screeningSummary({ urgency: 'routine', category: 1 }),
      triage: triage({ kind: 'exploitation', urgency: 'same-day', overrides: fired, facts: ['sexual-activity'] }),
    });
    expect(body.urgency).toBe('immediate');
    expect(build({ screening: screeningSummary({ urgency: 'immediate', category: 4 }), triage: triage({ kind: 'exploitation', urgency: 'routine' }) }).urgency).toBe('immediate');
  });
});

describe('categories of an exploitation referral (finding W7)', () => {
  const exploitation = (indicators: string[], facts: string[] = []) =>
    build({ screening: screeningSummary({ indicators, vulnerabilities: [] }), triage: triage({ kind: 'exploitation', facts }) }).concern.categories;

  it('never files drinking, gifts or exploited friends as criminal exploitation or child-on-child abuse', () => {
    const categories = exploitation(['substances', 'gifts-money', 'exploited-peers']);
    expect(categories).not.toContain('child-on-child');
    expect(categories).not.toContain('peer-on-peer');
    // Exploitation chosen, form not shown by the signs: both named, and the referrer is told so.
    expect(categories).toEqual(['cse', 'cce']);
  });

  it('names criminal exploitation on coercion, trafficking on being moved, and gangs alone is not criminal exploitation', () => {
    expect(exploitation(['offending'], ['drug-running', 'weapons'])).toEqual(['cce']);
    expect(exploitation(['trafficked'])).toEqual(['trafficking']);
    const gangsOnly = build({ screening: screeningSummary({ indicators: [], vulnerabilities: ['gang-affected'] }) }).concern.categories;
    expect(gangsOnly).toEqual(['gangs']);
  });

  it('shows the categories in words on the summary the referrer confirms, saying when both forms are named', () => {
    const draft: ReferralDraft = { answers, screening: screeningSummary({ indicators: ['substances'], vulnerabilities: [] }), triage: triage({ kind: 'exploitation' }) };
    expect(reviewText(pack, draft)).toMatch(
      /- Kind of concern: Child sexual exploitation; Child criminal exploitation \(county lines\) \(the signs you gave do not show which kind of exploitation/,
    );
  });
});

describe('consent in the referral (finding W6)', () => {
  it('offers "not sought: the child is at risk of harm" and never tells the referrer to ask for consent first', () => {
    const question = pack.questions['ref-consent-status'];
    expect(question.choices!.find((c) => c.value === 'not-sought-risk-of-harm')?.title).toBe('Not sought: the child is at risk of harm, so consent is not needed');
    expect(question.help).not.toMatch(/ask for consent first/i);
    // What the referrer reads: the 2024 test is a risk of harm, not "significant harm" (W5).
    expect([question.text, question.help, ...question.choices!.map((c) => c.title)].join('\n')).not.toMatch(/significant harm/);
  });

  it('carries a sharing decision made on the risk of harm, with its codes and words, as version 2', () => {
    const carry = {
      decisionId: 'share-1',
      outcome: 'share-without-consent',
      reason: 'risk-of-harm',
      status: 'not-asked',
      orgKind: 'other-organisation',
      lawfulBasisCodes: ['uk-gdpr-6-1-ea:annex1-6', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18'],
      lawfulBasis: 'Recognised legitimate interest; Art 9(2)(g) and para 18',
    } as unknown as ConsentCarry;
    const { 'ref-consent-status': _answered, ...unanswered } = answers;
    const body = buildReferralBody(pack, { answers: unanswered, screening: screeningSummary(), consent: carry }, submission);
    expect(referralBodySchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      schemaVersion: '2',
      consent: {
        status: 'not-sought',
        overrideReason: 'risk-of-harm',
        lawfulBasis: 'Recognised legitimate interest; Art 9(2)(g) and para 18',
        lawfulBasisCodes: ['uk-gdpr-6-1-ea:annex1-6', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18'],
      },
    });
  });
});
