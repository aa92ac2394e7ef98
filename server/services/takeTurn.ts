import type { ConversationRuntime, OutgoingMessage, ServiceWordKey, StoredPendingEffect, TurnInput, TurnMeta } from '../../flows';
import { DomainError, fillCallTokens } from '../../flows';
import type { ConversationGuard, ConversationStore, GuardedSaveResult } from '../../integrations';
import { createKeyedMutex, storageKeyOf } from '../../integrations';
import type { TurnOptions, TurnOutcome, TurnService } from '../../bot';
import type { Logger } from 'pino';

export interface ConversationTurnsOptions {
  store: ConversationStore;
  runtime: ConversationRuntime;
  logger: Logger;
  /** Attempts before a turn gives up on a conversation another instance keeps changing. */
  maxAttempts?: number;
  /** Runs effects (audit, outbox...); must be idempotent by effect id. */
  runEffects?: (pending: StoredPendingEffect[]) => Promise<void>;
  /** Counted (sg_conversations_unreadable_total): a stored conversation could not be read and restarted. */
  onUnreadable?: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Retries of effects that failed after their turn was saved: soon, then every 30 s at most. */
const effectRetryDelaysMs = [1000, 2000, 4000, 8000, 15_000, 30_000];

/** Effects the stored record still owes, then this turn's, each once (by effect id). */
function mergeEffects(owed: StoredPendingEffect[], fresh: StoredPendingEffect[]): StoredPendingEffect[] {
  const ids = new Set(fresh.map((p) => p.effect.id));
  return [...owed.filter((p) => !ids.has(p.effect.id)), ...fresh];
}
/** How many incoming activity ids a conversation remembers: channels redeliver within seconds, not turns later. */
const recentActivityLimit = 20;
/** The questions whose awaited reply a turn's save checks (`unlessReplyAwaited`): a coordinator's, the MASH's. */
const replyGuards: readonly ConversationGuard[] = ['coordinator', 'mash'];
/** Nothing of the turn was saved or sent: the caller routes the message by what waits. */
const replyAwaitedOutcome = (present: readonly string[]): TurnOutcome => ({
  messages: [],
  effects: [],
  attempts: 0,
  replyAwaited: { coordinator: present.includes('coordinator'), mash: present.includes('mash') },
});

/**
 * One turn, durably: load the snapshot, run the pure runtime, compare-and-set the new snapshot, and only
 * then hand back what to say. On a conflict (another instance saved first) the whole turn runs again on
 * the fresh state, which is safe because the runtime does no I/O.
 */
export function createConversationTurns({ store, runtime, logger, maxAttempts = 25, runEffects, onUnreadable }: ConversationTurnsOptions) {
  const exclusive = createKeyedMutex();
  // Redis on one node: the save checks the awaited replies itself. Elsewhere a guarded turn answers "may
  // wait" unrun, so a reply owed to someone is never taken by the flow whatever the store.
  const checksRepliesAtSave = Boolean(store.saveUnlessPresent && replyGuards.every((guard) => store.guards?.includes(guard)));

  /**
   * Effects are saved with the turn that asked for them and run after the save; the next turn runs the
   * saved ones again (a no-op when they went through), so a crash in between loses no audit record.
   */
  async function settle(conversationId: string | undefined, pending: StoredPendingEffect[] | undefined): Promise<boolean> {
    if (!pending?.length || !runEffects) return true;
    try {
      await runEffects(pending);
      return true;
    } catch (err) {
      const conversation = conversationId === undefined ? {} : { conversation: storageKeyOf(conversationId) };
      logger.error({ err, ...conversation, effects: pending.map((p) => p.effect.id) }, 'effects failed; retried next turn');
      return false;
    }
  }

  /**
   * "Queued" is said only once the referral is in the outbox. When the effects of a saved turn failed
   * (the outbox could not be written), the referrer is told it is saved but not queued yet, and that
   * they will be told when the MASH has it (the delivered notice); the pack's words, phone tokens filled now.
   */
  function withoutQueuedClaim(messages: OutgoingMessage[], now: Date): OutgoingMessage[] {
    const words = runtime.pack.messages['ref-filed-not-queued' satisfies ServiceWordKey].text;
    return messages.map((message) => {
      const value = message.value as { type?: unknown; status?: unknown; clientReference?: string } | undefined;
      if (value?.type !== 'safeguarding.referralFiled' || value.status !== 'queued') return message;
      const text = fillCallTokens(runtime.pack, words, now).replace(/\{clientReference\}/g, value.clientReference ?? '');
      return { text, value: { ...value, status: 'saved' } };
    });
  }

  /**
   * Effects that failed after their turn was saved are retried in the background, soon and then every
   * 30 s, from the stored record (a later turn keeps them owed too), not at the professional's next
   * message. A crash meanwhile leaves them in the record for the start-up sweep.
   */
  const retrying = new Set<string>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let stopped = false;
  function retryLater(conversationId: string, round = 0): void {
    if (stopped || (round === 0 && retrying.has(conversationId))) return;
    retrying.add(conversationId);
    const delay = effectRetryDelaysMs[Math.min(round, effectRetryDelaysMs.length - 1)];
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      void (async () => {
        const stored = await store.load(conversationId).catch(() => undefined);
        const owed = stored?.record?.pendingEffects;
        if (!owed?.length || (await settle(conversationId, owed))) {
          retrying.delete(conversationId);
          if (owed?.length) logger.info({ conversation: storageKeyOf(conversationId), effects: owed.map((p) => p.effect.id) }, 'effects went through on a background retry');
          return;
        }
        retryLater(conversationId, round + 1);
      })();
    }, delay).unref();
    retryTimers.add(timer);
  }

  /**
   * Saves that failed without an answer from the store (it went away mid-command, reliability 2a): the
   * save may have landed although the professional was given the apology. Kept per conversation (the
   * activity and what it said) until the next turn of that conversation on this instance, bounded.
   */
  const uncertainSaves = new Map<string, { activityId: string; input: string }>();
  const uncertainLimit = 10_000;
  function rememberUncertain(conversationId: string, activityId: string | undefined, input: TurnInput): void {
    if (!activityId) return;
    uncertainSaves.delete(conversationId);
    uncertainSaves.set(conversationId, { activityId, input: JSON.stringify(input) });
    if (uncertainSaves.size > uncertainLimit) uncertainSaves.delete(uncertainSaves.keys().next().value!);
  }

  /**
   * After the apology the professional saw no next question, so the same words again are them retyping
   * the answer the apology seemed to lose. When that answer's save did land (its activity id is stored),
   * applying the retype would answer a question they never saw: it is taken as a redelivery instead, and
   * the current question is asked again.
   */
  function retypedAfterLandedSave(conversationId: string, seen: string[], input: TurnInput): boolean {
    const doubt = uncertainSaves.get(conversationId);
    return doubt !== undefined && seen.includes(doubt.activityId) && JSON.stringify(input) === doubt.input;
  }

  /** The doubt is settled by the first save that answered, unless it wrote nothing because a reply waits. */
  async function saveOrRemember(
    conversationId: string,
    record: Parameters<ConversationStore['save']>[1],
    rev: Parameters<ConversationStore['save']>[2],
    meta: TurnMeta,
    input: TurnInput,
    guarded: boolean,
  ): Promise<GuardedSaveResult> {
    try {
      const saved = guarded ? await store.saveUnlessPresent!(conversationId, record, rev, replyGuards) : await store.save(conversationId, record, rev);
      if (saved.ok || saved.reason !== 'present') uncertainSaves.delete(conversationId);
      return saved;
    } catch (error) {
      rememberUncertain(conversationId, meta.activityId, input);
      throw error;
    }
  }

  async function attemptTurns(conversationId: string, input: TurnInput, meta: TurnMeta, reference?: Record<string, unknown>, options: TurnOptions = {}): Promise<TurnOutcome> {
    const guarded = options.unlessReplyAwaited === true;
    if (guarded && !checksRepliesAtSave) return replyAwaitedOutcome(replyGuards);
    let owed: StoredPendingEffect[] = [];
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // Possibly this instance's own last save (no round trip): the compare-and-set below checks it.
      const stored = await (store.loadForUpdate ?? store.load)(conversationId);
      if (stored.unreadable) {
        logger.warn({ conversation: storageKeyOf(conversationId) }, 'stored conversation unreadable: starting again with the apology');
        onUnreadable?.();
      }
      // Effects still failing are carried into this turn's record, never overwritten by its effects.
      if (attempt === 1 && !(await settle(conversationId, stored.record?.pendingEffects))) owed = stored.record?.pendingEffects ?? [];
      const seen = stored.record?.recentActivityIds ?? [];
      const retyped = attempt === 1 && retypedAfterLandedSave(conversationId, seen, input);
      const redelivered = retyped || (meta.activityId !== undefined && seen.includes(meta.activityId));
      if (retyped)
        logger.info({ conversation: storageKeyOf(conversationId) }, 'answer retyped after an apology whose save had landed: current question re-asked, not applied twice');
      else if (redelivered) logger.info({ conversation: storageKeyOf(conversationId) }, 'activity delivered again: current question re-asked, not applied twice');
      const result = runtime.runTurn(stored.record, redelivered ? { kind: 'reask' } : input, meta, stored.unreadable ? { unreadable: true } : {});
      const actor = { channelId: meta.channelId, userId: meta.userId, ...(meta.userName ? { userName: meta.userName } : {}) };
      const fresh = result.effects.map((effect) => ({ effect, actor, ...(reference ? { reference } : {}) }));
      const pendingEffects = mergeEffects(owed, fresh);
      const recentActivityIds = meta.activityId && !redelivered ? [...seen, meta.activityId].slice(-recentActivityLimit) : seen;
      const record = { ...result.record, pendingEffects, ...(recentActivityIds.length ? { recentActivityIds } : {}) };
      // Nothing of this turn has happened yet (its effects run and its replies go only after the save):
      // a reply awaited elsewhere discards it whole. Effects owed by an earlier turn may have re-run above:
      // they are idempotent and owed whatever this message turns out to be.
      const saved = await saveOrRemember(conversationId, record, stored.rev, meta, input, guarded);
      if (!saved.ok && saved.reason === 'present') return replyAwaitedOutcome(saved.present);
      if (saved.ok) {
        const settled = await settle(conversationId, pendingEffects);
        if (!settled) retryLater(conversationId);
        const messages = settled ? result.messages : withoutQueuedClaim(result.messages, meta.now);
        return { messages, effects: result.effects, attempts: attempt, ...(result.submitted ? { submitted: result.submitted } : {}) };
      }
      await sleep(Math.floor(Math.random() * 5 * attempt)); // jitter so two instances stop colliding
    }
    throw new DomainError('SG-STORE-CONFLICT', `gave up after ${maxAttempts} attempts`);
  }

  /**
   * At start-up: re-runs every stored conversation's last effects (a no-op for those that went through).
   * Without it, a referral saved with its turn just before a crash would wait for the professional's
   * next message, which may never come. Counts conversations whose effects ran, those that failed, and
   * those that could not be read: each of these is logged now, because an effect it still owed (a
   * referral not yet queued) cannot be re-run and its professional may never write again.
   */
  async function sweepPendingEffects(): Promise<{ settled: number; failed: number; unreadable: number }> {
    const counts = { settled: 0, failed: 0, unreadable: 0 };
    if (!runEffects) return counts;
    const unreadable = (key: string) => {
      counts.unreadable += 1;
      logger.error(
        { code: 'SG-STORE-CORRUPT', conversation: key },
        'stored conversation unreadable at start-up: effects it still owed cannot be re-run; it restarts with the apology at its next message',
      );
    };
    for await (const record of store.records(unreadable)) {
      if (!record.pendingEffects?.length) continue;
      if (await settle(undefined, record.pendingEffects)) counts.settled += 1;
      else counts.failed += 1;
    }
    return counts;
  }

  return {
    sweepPendingEffects,
    /**
     * At shutdown: no more background retries. The effects stay owed in the stored records, for the
     * start-up sweep of the next run or the conversation's next turn.
     */
    stop(): void {
      stopped = true;
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      retrying.clear();
    },
    /** The content pack the runtime speaks from: channel renderers take labels and input limits from it. */
    pack: runtime.pack,
    checksRepliesAtSave,
    /** `reference` is the channel's conversation reference, kept with effects that tell the professional later. */
    run(conversationId: string, input: TurnInput, meta: TurnMeta, reference?: Record<string, unknown>, options?: TurnOptions): Promise<TurnOutcome> {
      return exclusive(conversationId, () => attemptTurns(conversationId, input, meta, reference, options));
    },
  };
}

export type ConversationTurns = ReturnType<typeof createConversationTurns>;
// The channels' port is what this service gives them.
export type { TurnService };
