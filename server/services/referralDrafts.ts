import type { Logger } from 'pino';
import { z } from 'zod';
import { serviceWordsOf, type ContentPack, type OutgoingMessage, type TurnInput } from '../../flows';
import { draftCarryOf, referralDraftSchema, type AuditLog, type ConversationReferences, type EffectHandler, type ReferralDraft, type ReferralDrafts } from '../../integrations';
import { ownerKeyOf } from './referralNotices';

const day = 24 * 3600 * 1000;

export interface ReferralDraftPorts {
  drafts: ReferralDrafts;
  audit: AuditLog;
  pack: ContentPack;
  logger: Logger;
  /** RETENTION_DRAFT_DAYS: a draft is kept this long from its last change. */
  retentionDays: number;
  now?: () => Date;
  /**
   * The Teams chat of the person with this Entra object id (their latest conversation reference's channel
   * and user id), so a Teams SSO session lists the drafts started in that chat. None: web chat drafts only.
   */
  teamsUserOf?: (aadObjectId: string) => Promise<{ channelId: string; userId: string } | undefined>;
}

/** The part of a stored Teams conversation reference that names the chat (a boundary: parsed, not trusted). */
const teamsChatSchema = z.object({ channelId: z.string().min(1), user: z.object({ id: z.string().min(1) }) });

/** `teamsUserOf` from the conversation references Teams activities leave (indexed by Entra object id too). */
export function teamsUserFromReferences(references: Pick<ConversationReferences, 'latestForAad'>): NonNullable<ReferralDraftPorts['teamsUserOf']> {
  return async (aadObjectId) => {
    const parsed = teamsChatSchema.safeParse((await references.latestForAad(aadObjectId))?.reference);
    return parsed.success ? { channelId: parsed.data.channelId, userId: parsed.data.user.id } : undefined;
  };
}

/** Sessions opened by Teams SSO carry `aad-<oid>` as their id (server/tabs/teamsSso.ts). */
const aadSessionPrefix = 'aad-';

/** A draft as "My referrals" shows it: references and dates, never the child's details. */
export interface DraftSummary {
  draftId: string;
  startedAt: string;
  savedAt: string;
  keptUntil: string;
  answers: number;
}

/**
 * Unfinished referrals (issue 20 item 2): saved on every answer the referral keeps (`draft.save`),
 * discarded with an audit entry when it is filed or cancelled (`draft.discard`), listed under "My
 * referrals", resumed in any conversation ("continue referral"), and removed with an audit entry when
 * RETENTION_DRAFT_DAYS have passed since the last change (`expire`, hourly). A draft never files itself.
 */
export function createReferralDraftService({ drafts, audit, pack, logger, retentionDays, now = () => new Date(), teamsUserOf }: ReferralDraftPorts) {
  const words = serviceWordsOf(pack);
  const retentionMs = retentionDays * day;
  const keptUntil = (draft: ReferralDraft) => new Date(Date.parse(draft.savedAt) + retentionMs).toISOString();

  const save: EffectHandler<'draft.save'> = async ({ effect, actor }) => {
    const { draftId, savedAt, answers, screening, triage, consent } = effect.payload;
    // The summaries were the machines' own objects when saved; the draft's schema reads them back as such.
    const draft = referralDraftSchema.parse({ draftId, actor, startedAt: savedAt, savedAt, answers, screening, triage, consent });
    await drafts.save(ownerKeyOf(actor.channelId, actor.userId), draft);
  };

  const discard: EffectHandler<'draft.discard'> = async ({ effect, actor }) => {
    const { draftId, reason, at } = effect.payload;
    const removed = await drafts.discard(ownerKeyOf(actor.channelId, actor.userId), draftId);
    if (!removed) return; // already gone (a re-run effect): its audit entry was written the first time
    await audit.append({ id: `draft-discarded.${draftId}`, recordType: 'draft-discarded', recordedAt: at ?? now().toISOString(), actor, payload: { draftId, reason } });
  };

  /** Removes every draft past its time, each with an audit entry; how many went. */
  async function expire(at: Date = now()): Promise<number> {
    const expired = await drafts.expire(new Date(at.getTime() - retentionMs).toISOString());
    for (const { draft } of expired) {
      await audit.append({
        id: `draft-expired.${draft.draftId}`,
        recordType: 'draft-expired',
        recordedAt: at.toISOString(),
        actor: draft.actor,
        payload: { draftId: draft.draftId, savedAt: draft.savedAt, retentionDays },
      });
    }
    if (expired.length > 0) logger.info({ drafts: expired.length }, 'expired referral drafts removed');
    return expired.length;
  }

  async function listFor(channelId: string, userId: string): Promise<DraftSummary[]> {
    const listed = await drafts.list(ownerKeyOf(channelId, userId));
    return listed.map((d) => ({ draftId: d.draftId, startedAt: d.startedAt, savedAt: d.savedAt, keptUntil: keptUntil(d), answers: Object.keys(d.answers).length }));
  }

  /**
   * "My referrals" for a signed-in session (issue 20 item 2, "in Teams and web chat alike"): the drafts of
   * its web chat and, for a Teams SSO session, those started in the person's Teams chat, newest change first.
   * A draft stays where it was started ("continue" in that chat resumes it); the list only shows it.
   */
  async function listForSession(webChatChannelId: string, sessionUserId: string): Promise<DraftSummary[]> {
    const own = await listFor(webChatChannelId, sessionUserId);
    const aad = sessionUserId.startsWith(aadSessionPrefix) ? sessionUserId.slice(aadSessionPrefix.length) : undefined;
    const teams = aad && teamsUserOf ? await teamsUserOf(aad) : undefined;
    const inTeams = teams && !(teams.channelId === webChatChannelId && teams.userId === sessionUserId) ? await listFor(teams.channelId, teams.userId) : [];
    return [...own, ...inTeams].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** The turn input that resumes the latest draft, or the one named; undefined when there is none. */
  async function resumeInput(channelId: string, userId: string, draftId?: string): Promise<TurnInput | undefined> {
    const listed = await drafts.list(ownerKeyOf(channelId, userId));
    const draft = draftId ? listed.find((d) => d.draftId === draftId) : listed[0];
    return draft ? { kind: 'resume', draft: draftCarryOf(draft) } : undefined;
  }

  /** "My referrals" with the unfinished ones below the filed ones, and a "Continue referral" button. */
  async function withDrafts(message: OutgoingMessage, channelId: string, userId: string): Promise<OutgoingMessage> {
    const listed = await listFor(channelId, userId);
    if (listed.length === 0) return message;
    const lines = listed.map((d) =>
      words('my-referrals-draft-line', {
        draftId: d.draftId,
        startedOn: d.startedAt.slice(0, 10),
        savedOn: d.savedAt.slice(0, 10),
        answers: d.answers,
        keptUntil: d.keptUntil.slice(0, 10),
      }),
    );
    return {
      ...message,
      text: `${message.text}\n\n${words('my-referrals-drafts-header')}\n${lines.join('\n')}`,
      suggestedActions: [{ value: 'continue referral', title: words('draft-continue') }],
      value: { ...(message.value ?? { type: 'safeguarding.referralUpdate', event: 'my-referrals' }), drafts: listed },
    };
  }

  return {
    /** The `draft.save` and `draft.discard` effect handlers. */
    save,
    discard,
    expire,
    listFor,
    listForSession,
    resumeInput,
    withDrafts,
    /** Said when "continue referral" finds nothing to continue. */
    noneMessage: (): OutgoingMessage => ({ text: words('draft-none', { days: retentionDays }) }),
  };
}

export type ReferralDraftService = ReturnType<typeof createReferralDraftService>;
