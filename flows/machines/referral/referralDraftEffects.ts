import type { AnswerValue, Effect } from '../../protocol';
import { clientReferenceOf } from '../../referral/reference';
import type { ReferralDraftCarry } from './referralDraft';
import { referralQuestions } from './referralQuestions';

/** Why a draft goes before it expires: the referral was filed (or phoned through), or cancelled. */
export type DraftEnd = 'filed' | 'cancelled';

/**
 * A draft's id, from what the referral started from (the screening's id, else the triage), the child's
 * first name and the conversation: the same whichever answer saves the draft first (a conversation saved
 * by an earlier version resumes with the id it would have had), another child or another triage gives
 * another draft, and a resumed draft keeps its id, so every save (in whichever conversation) updates it.
 */
export function draftIdOf(context: { screening?: { screeningId: string }; triage?: unknown; answers: Record<string, AnswerValue>; ref?: string }): string {
  const from = context.screening?.screeningId ?? JSON.stringify(context.triage ?? null);
  return clientReferenceOf('DR', { answers: [from, context.answers[referralQuestions.firstName] ?? ''], ref: context.ref, counter: 0 });
}

/** `draft.save`: the answers so far and what the referral started from, as of `at`. */
export function draftSaveEffect(draft: ReferralDraftCarry, at: string): Effect {
  const { draftId, answers, screening, triage, consent } = draft;
  return {
    kind: 'draft.save',
    id: `draft-save.${draftId}.${at}`,
    payload: { draftId, savedAt: at, answers, ...(screening ? { screening } : {}), ...(triage ? { triage } : {}), ...(consent ? { consent } : {}) },
  };
}

/** `draft.discard`: the referral was filed or cancelled, so its draft goes (with an audit entry). */
export function draftDiscardEffect(draftId: string, reason: DraftEnd, at: string | undefined): Effect {
  return { kind: 'draft.discard', id: `draft-discard.${draftId}`, payload: { draftId, reason, ...(at ? { at } : {}) } };
}
