import type { ContentPack } from '../../content/packSchema';
import type { AnswerIdentity, AnswerValue, Effect } from '../../protocol';
import { channelOf, concernCategories, type ConcernCategory, type Referrer } from '../../referral/contract';
import type { IntelligenceBody } from '../../referral/contractMessages';
import { skipped } from '../flowKit';
import { draftReferrer } from '../identityQuestions';
import { referralSectionOf } from '../referral/referralText';
import { words } from '../referral/referralWords';

/** The question ids of the intelligence flow (VOLT); part of the contract. The referrer questions are the referral's. */
export const intelligenceQuestions = {
  victims: 'intel-victims',
  offenders: 'intel-offenders',
  locations: 'intel-locations',
  themes: 'intel-themes',
  confirm: 'intel-confirm',
} as const;

const Q = intelligenceQuestions;

export interface IntelligenceDraft {
  answers: Record<string, AnswerValue>;
  by?: AnswerIdentity;
}

const textOf = (draft: IntelligenceDraft, question: string): string | undefined => {
  const value = draft.answers[question];
  return typeof value === 'string' && value !== skipped ? value : undefined;
};

/** Something to send: a victim, an offender or a place. Themes alone say nothing the MASH can act on. */
export function hasIntelligence(draft: IntelligenceDraft): boolean {
  return [Q.victims, Q.offenders, Q.locations].some((q) => textOf(draft, q) !== undefined);
}

export function themesOf(draft: IntelligenceDraft): ConcernCategory[] {
  const picked = draft.answers[Q.themes];
  const chosen = Array.isArray(picked) ? picked : [];
  const themes = concernCategories.filter((c) => chosen.includes(c));
  return themes.length ? themes : ['other'];
}

/** The VOLT answers as plain lines: the body's summary and the text to check before sending. */
export function intelligenceSummary(pack: ContentPack, draft: IntelligenceDraft): string {
  const section = referralSectionOf(pack);
  const lines = [
    ['intel-summary-victims', textOf(draft, Q.victims)],
    ['intel-summary-offenders', textOf(draft, Q.offenders)],
    ['intel-summary-locations', textOf(draft, Q.locations)],
    [
      'intel-summary-themes',
      themesOf(draft)
        .map((c) => section.concernCategories[c].label)
        .join('; '),
    ],
  ] as const;
  return lines.flatMap(([key, text]) => (text ? [words(pack, key, { text })] : [])).join('\n');
}

/** The contract caps the summary at 5000 characters; the VOLT fields carry every word in full. */
const capped = (text: string) => (text.length <= 5000 ? text : `${text.slice(0, 4999)}…`);

/**
 * The body of `POST /intelligence`. Places and vehicles come as one free-text answer, so they go in
 * `locations`; `vehicles` stays for a MASH client that asks about them apart.
 */
export function buildIntelligenceBody(pack: ContentPack, draft: IntelligenceDraft, submission: { clientReference: string; at: string }): IntelligenceBody {
  const referrer = draftReferrer(draft) as Referrer;
  const victims = textOf(draft, Q.victims);
  const offenders = textOf(draft, Q.offenders);
  const locations = textOf(draft, Q.locations);
  return {
    schemaVersion: '1',
    clientReference: submission.clientReference,
    submittedAt: submission.at,
    channel: channelOf(draft.by?.channelId),
    source: { name: referrer.name, role: referrer.role, organisation: referrer.organisation, email: referrer.email },
    summary: capped(intelligenceSummary(pack, draft)),
    volt: { ...(victims ? { victims } : {}), ...(offenders ? { offenders } : {}), ...(locations ? { locations } : {}), themes: themesOf(draft) },
  };
}

/** Into the outbox for `POST /intelligence`, and an audit record of what kind was shared, when (no free text). */
export function intelligenceEffects(body: IntelligenceBody): Effect[] {
  const { clientReference } = body;
  return [
    { kind: 'outbox.enqueue', id: clientReference, payload: { kind: 'intelligence', clientReference, body } },
    { kind: 'audit.append', id: clientReference, payload: { recordType: 'intelligence', clientReference, themes: body.volt.themes, recordedAt: body.submittedAt } },
  ];
}
