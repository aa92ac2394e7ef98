import type { StoredConversationReference } from '../../bot';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { fillCallTokens, serviceWordsOf, type ContentPack, type OutgoingMessage } from '../../flows';
import {
  budgetSpentReason,
  handoffSchema,
  storageKeyOf,
  type AuditLog,
  type Handoff,
  type HandoffQueue,
  type JobOutcome,
  type Outbox,
  type OutboxEntry,
  type ReferralRegistry,
  type ReferralTracking,
} from '../../integrations';

/**
 * Sends a message to a professional later. True: the chat took it; 'listed': their conversation is gone
 * and the update went to their web notification list instead (nothing more to try); false: not delivered.
 */
export type Notify = (reference: StoredConversationReference, message: OutgoingMessage) => Promise<boolean | 'listed'>;

/** When the MASH should have acknowledged a delivered referral (hours), by urgency: then the referrer and a coordinator are told. */
export interface AckWindow {
  immediateHours: number;
  otherHours: number;
}

/**
 * A follow-up job: what must happen after a delivery or a MASH event, queued durably (its own outbox) and
 * tried until it is done. A notice's words are filled when it is sent, so its phone numbers are the line open then.
 */
export const followUpSchema = z.discriminatedUnion('job', [
  z.object({
    job: z.literal('notice'),
    clientReference: z.string(),
    conversation: z.record(z.string(), z.unknown()),
    key: z.string(),
    values: z.record(z.string(), z.string()),
    value: z.record(z.string(), z.unknown()),
  }),
  z.object({ job: z.literal('handoff'), clientReference: z.string(), channelId: z.string(), handoff: handoffSchema }),
  z.object({ job: z.literal('ack-check'), clientReference: z.string(), hours: z.number() }),
]);
export type FollowUp = z.infer<typeof followUpSchema>;

/** The ports every referral use case shares: where referrals are tracked, told about and audited. */
export interface ReferralPorts {
  registry: ReferralRegistry;
  /** Coordinators' queue: a parked referral becomes a handoff so a person phones it through. */
  handoffs?: HandoffQueue;
  notify: Notify;
  pack: ContentPack;
  logger: Logger;
  now?: () => Date;
  /** Where delivery, parking, MASH events and handoffs are recorded for partnership insight (issue 11). */
  audit?: AuditLog;
  /**
   * The follow-up queue: notices to referrers, handoffs and acknowledgement checks go through it, so each
   * is retried until it is done and survives a crash. Without it (tests, tools) the referrer is told at once, best effort.
   */
  followUps?: Outbox;
  /** When to tell the referrer and a coordinator that the MASH has not acknowledged (needs `followUps`). */
  ackWindow?: AckWindow;
}

/** Client references of follow-up jobs: the referral's, a kind, and an id; within the outbox's key rules. */
const followUpKey = (clientReference: string, kind: string, id: string) => `${clientReference}.${kind}.${id}`.slice(0, 128);
export const hashed = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Fills `{name}` placeholders in a pack message (unknown placeholders are left visible, never blank), then
 * the `{{call-now}}` / `{{call:ID}}` tokens for the moment it is sent, with the same function the
 * conversation runtime uses: a notification at 23:00 names the duty team, not a closed help desk.
 */
export function fillPackText(pack: ContentPack, key: string, values: Record<string, string | undefined>, now: Date = new Date()): string {
  // The keys the service sends are required by the schema; a key stored in an old job that this pack
  // no longer has is shown as itself rather than dropping the notice.
  const text = pack.messages[key]?.text ?? key;
  // Tokens first, then values: a value (a MASH question) is never read as a token.
  return fillCallTokens(pack, text, now).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Who filed a referral, as a key that names no one: "my referrals" lists by it. */
export function ownerKeyOf(channelId: string, userId: string): string {
  return storageKeyOf(`${channelId}\n${userId}`);
}

/** The owner key of everything filed by one Entra (AAD) object id, from any Teams conversation. */
export function aadOwnerKeyOf(aadObjectId: string): string {
  return ownerKeyOf('aad', aadObjectId.toLowerCase());
}

/**
 * Telling the referrer and the coordinators what happened to a referral, later and exactly once: notices,
 * handoffs and acknowledgement checks as follow-up jobs (retried until the channel takes them), the
 * parking of a referral that cannot be delivered, and the audit record of each step. The use cases that
 * file, deliver and hear about referrals all tell through it; the follow-up worker runs its jobs.
 */
export function createReferralNotices({ registry, handoffs, notify, pack, logger, now = () => new Date(), audit, followUps, ackWindow }: ReferralPorts) {
  const say = serviceWordsOf(pack);
  const triage = (tracking: ReferralTracking) => ({ category: tracking.category ?? say('handoff-summary-unknown'), urgency: tracking.urgency ?? say('handoff-summary-unknown') });

  /** An audit record of what happened to a referral: references and outcomes only, appended once by id. */
  async function record(id: string, recordType: string, tracking: ReferralTracking, payload: Record<string, unknown>, at = now().toISOString()): Promise<void> {
    await audit?.append({
      id,
      recordType,
      recordedAt: at,
      actor: { channelId: tracking.channelId, userId: 'safeguarding-bot' },
      payload: { recordType, clientReference: tracking.clientReference, ...payload },
    });
  }

  async function queueFollowUp(clientReference: string, job: FollowUp, notBefore?: number): Promise<void> {
    const entry: OutboxEntry = { clientReference, target: { kind: 'follow-up' }, body: job, ...(notBefore !== undefined ? { notBefore } : {}) };
    await followUps!.enqueue(entry);
  }

  /**
   * Tells the referrer `key` (a pack message) once. With the follow-up queue: a notice job, idempotent by
   * `noticeId`, retried until the channel takes it (a repeated call queues nothing new). Without: at once,
   * and only when `first` (a repeated callback must not tell twice).
   */
  async function tell(tracking: ReferralTracking, noticeId: string, key: string, values: Record<string, string>, value: Record<string, unknown>, first: boolean): Promise<void> {
    if (followUps) {
      await queueFollowUp(followUpKey(tracking.clientReference, 'n', noticeId), {
        job: 'notice',
        clientReference: tracking.clientReference,
        conversation: tracking.conversation,
        key,
        values,
        value,
      });
      return;
    }
    if (!first) return;
    const told = await notify(tracking.conversation, { text: fillPackText(pack, key, values, now()), value });
    if (told !== true) logger.warn({ referral: tracking.clientReference }, 'referrer not reachable; the update stays in "my referrals"');
  }

  /** Opens a coordinator handoff (idempotent by id), through the follow-up queue when there is one. */
  async function openHandoff(tracking: ReferralTracking, handoff: Handoff): Promise<void> {
    if (followUps)
      return queueFollowUp(followUpKey(tracking.clientReference, 'h', handoff.handoffId), {
        job: 'handoff',
        clientReference: tracking.clientReference,
        channelId: tracking.channelId,
        handoff,
      });
    await applyHandoff(tracking, handoff);
  }

  async function applyHandoff(tracking: Pick<ReferralTracking, 'clientReference' | 'channelId'>, handoff: Handoff): Promise<void> {
    if (!handoffs) return;
    await record(`handoff-${handoff.handoffId}`, 'handoff', tracking as ReferralTracking, { handoffId: handoff.handoffId, kind: handoff.kind, urgency: handoff.urgency });
    await handoffs.open(handoff);
  }

  /** The acknowledgement check for a delivered referral, due when its triage window ends (once, by key). */
  async function expectAcknowledgement(tracking: ReferralTracking): Promise<void> {
    if (!followUps || !ackWindow) return;
    const hours = tracking.urgency === 'immediate' ? ackWindow.immediateHours : ackWindow.otherHours;
    await queueFollowUp(
      followUpKey(tracking.clientReference, 'j', 'ack'),
      { job: 'ack-check', clientReference: tracking.clientReference, hours },
      now().getTime() + hours * 3_600_000,
    );
  }

  /**
   * What the coordinator and the referrer are told. A referral too new for the MASH (`schema-version`)
   * was never sent: nothing is wrong with it, the MASH's system cannot take it yet, so the referrer
   * phones the Front Door now and a coordinator checks it got through.
   */
  function parkedWords(tracking: ReferralTracking, reason: string, code?: string): { summary: string; key: string; values: Record<string, string> } {
    if (code === 'schema-version') {
      return {
        summary: say('handoff-summary-parked-version', { clientReference: tracking.clientReference, ...triage(tracking) }),
        key: 'referral-parked-version',
        values: { clientReference: tracking.clientReference },
      };
    }
    return {
      summary: say('handoff-summary-parked', { clientReference: tracking.clientReference, reason, ...triage(tracking) }),
      key: 'referral-parked',
      // Plain words for the professional; status codes stay in the log and the coordinator's summary.
      values: { clientReference: tracking.clientReference, reason: say(reason.startsWith(budgetSpentReason) ? 'referral-parked-unreachable' : 'referral-parked-refused') },
    };
  }

  async function park(tracking: ReferralTracking, reason: string, code?: string): Promise<void> {
    const words = parkedWords(tracking, reason, code);
    await registry.update(tracking.clientReference, (t) => ({ ...t, status: 'parked', parkedReason: reason }));
    // A parked referral is a child whose referral has not arrived: loud in the logs, a coordinator's
    // handoff, and the referrer phones. The handoff id is fixed, so a repeated callback opens one.
    logger.error({ referral: tracking.clientReference, reason }, 'referral parked: referrer told to phone the MASH');
    await record(`${tracking.clientReference}.parked`, 'referral-event', tracking, { event: 'parked' });
    await openHandoff(tracking, handoffFor(tracking, 'parked', 'parked-referral', words.summary));
    await tell(tracking, 'parked', words.key, words.values, { type: 'safeguarding.referralFiled', status: 'parked', clientReference: tracking.clientReference }, true);
  }

  function handoffFor(tracking: ReferralTracking, prefix: string, kind: Handoff['kind'], summary: string): Handoff {
    return {
      handoffId: `${prefix}-${tracking.clientReference}`,
      kind,
      referrer: { channelId: tracking.channelId, conversation: tracking.conversation },
      summary,
      ...(tracking.category !== undefined ? { category: tracking.category } : {}),
      urgency: tracking.urgency === 'immediate' || tracking.urgency === 'routine' ? tracking.urgency : 'same-day',
      createdAt: now().toISOString(),
      status: 'open',
      messages: [],
    };
  }

  /**
   * The tracking record is stored but cannot be read (a torn or damaged file, reliability experiment 4a):
   * whom to tell is in it, so the service cannot tell the referrer. An erased record (absent) stays silent
   * on purpose. Logged as an error with both references (the MASH holds the referrer's contact details);
   * a parked one also goes to the coordinators, because then the MASH does not have the referral either.
   */
  async function untracked(clientReference: string, what: { event: 'delivered'; reference: string } | { event: 'parked'; reason: string }): Promise<void> {
    if (!(await registry.unreadable(clientReference))) return;
    logger.error(
      { code: 'SG-STORE-CORRUPT', referral: clientReference, ...what },
      `referral ${what.event} but its tracking record is unreadable: the referrer cannot be told by the service`,
    );
    if (what.event !== 'parked') return;
    const unknown: ReferralTracking = { clientReference, ownerKey: '', channelId: 'service', conversation: {}, createdAt: now().toISOString(), status: 'parked', events: [] };
    await openHandoff(unknown, handoffFor(unknown, 'parked', 'parked-referral', say('handoff-summary-parked-untracked', { clientReference, reason: what.reason })));
  }

  /**
   * Runs one follow-up job for the follow-up worker. A notice is delivered when the channel took it (or it
   * went to the web list, the conversation being gone); otherwise it is retried with backoff. An
   * acknowledgement check that finds no word from the MASH queues the referrer's notice and a coordinator's
   * handoff, each once.
   */
  async function runFollowUp(entry: OutboxEntry): Promise<JobOutcome> {
    const parsed = followUpSchema.safeParse(entry.body);
    if (!parsed.success) return { kind: 'permanent', reason: 'not a follow-up job this version understands' };
    const job = parsed.data;
    const done: JobOutcome = { kind: 'delivered', settlement: { outcome: 'delivered' } };
    try {
      if (job.job === 'notice') {
        const told = await notify(job.conversation, { text: fillPackText(pack, job.key, job.values, now()), value: job.value });
        if (told === 'listed') logger.warn({ referral: job.clientReference }, 'referrer not reachable; the update stays in "my referrals"');
        return told ? done : { kind: 'retryable', reason: 'the channel did not take the notice' };
      }
      if (job.job === 'handoff') {
        await applyHandoff(job, job.handoff);
        return done;
      }
      const tracking = await registry.get(job.clientReference);
      // Erased, or the MASH has said something (an acknowledgement, a decision, a question): nothing to do.
      if (!tracking || tracking.events.length > 0) return done;
      const reference = tracking.reference ?? tracking.clientReference;
      logger.warn({ referral: tracking.clientReference, hours: job.hours }, 'MASH has not acknowledged a referral in time: referrer and coordinator told');
      await openHandoff(
        tracking,
        handoffFor(
          tracking,
          'noack',
          'unacknowledged-referral',
          say('handoff-summary-not-acknowledged', { clientReference: tracking.clientReference, reference, hours: job.hours, ...triage(tracking) }),
        ),
      );
      await tell(
        tracking,
        'noack',
        'referral-not-acknowledged',
        { clientReference: tracking.clientReference, reference, hours: String(job.hours) },
        { type: 'safeguarding.referralUpdate', reference, event: 'not-acknowledged' },
        true,
      );
      return done;
    } catch (err) {
      logger.warn({ err, job: job.job, referral: job.clientReference }, 'follow-up job failed; will retry');
      return { kind: 'retryable', reason: `follow-up ${job.job} failed` };
    }
  }

  return { say, now, record, tell, openHandoff, expectAcknowledgement, park, handoffFor, untracked, runFollowUp };
}

export type ReferralNotices = ReturnType<typeof createReferralNotices>;
