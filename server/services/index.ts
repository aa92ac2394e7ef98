import type { Logger } from 'pino';
import { createRuntime, type ContentPack, type ReferralSchemaVersion } from '../../flows';
import {
  auditAppendHandler,
  createEffectSink,
  type AuditLog,
  type ConversationStore,
  type HandoffQueue,
  type Outbox,
  type ReferralDrafts,
  type ReferralRegistry,
  type TranscriptStore,
  type WebChatBindings,
} from '../../integrations';
import { createCoordinatorTriage, type CoordinatorChannel } from './coordinatorTriage';
import { createDeliverOutbox } from './deliverOutbox';
import { createPartnershipInsights } from './partnershipInsights';
import { createReferralDraftService, type ReferralDraftPorts } from './referralDrafts';
import { createReferrerQuestions } from './referrerQuestions';
import type { AckWindow, Notify } from './referralNotices';
import { createReferralService } from './referrals';
import { createConversationTurns } from './takeTurn';
import { createWebChatConversations } from './webChatConversations';

export { createConversationTurns, type ConversationTurns } from './takeTurn';
export { createCoordinatorTriage, type ActionResult, type Coordinator, type CoordinatorChannel, type CoordinatorTriage } from './coordinatorTriage';
export { createReferralService, type ReferralService, type ReferralServiceOptions } from './referrals';
export { aadOwnerKeyOf, fillPackText, followUpSchema, ownerKeyOf, type AckWindow, type FollowUp, type Notify } from './referralNotices';
export { myReferralsMessage, type MyReferrals } from './myReferrals';
export { createDeliverOutbox, type DeliverOutbox } from './deliverOutbox';
export { createPartnershipInsights, type InsightsRange, type PartnershipInsights } from './partnershipInsights';
export type { MashEventOutcome } from './applyMashEvent';
export { createReferralDraftService, teamsUserFromReferences, type DraftSummary, type ReferralDraftService } from './referralDrafts';
export { createReferrerQuestions, type AnswerOutcome, type ReferrerQuestion, type ReferrerQuestions } from './referrerQuestions';
export { createWebChatConversations, type CurrentConversation, type WebChatConversations } from './webChatConversations';

/** What the use cases run on: stores and queues, the pack, the channel to tell people through. */
export interface ServicePorts {
  pack: ContentPack;
  logger: Logger;
  store: ConversationStore;
  audit: AuditLog;
  /** The MASH outbox (instrumented by the caller for metrics). */
  outbox: Outbox;
  followUps?: Outbox;
  registry: ReferralRegistry;
  handoffs: HandoffQueue;
  /** Tells a professional later, in the channel they used (bound once the adapters exist). */
  notify: Notify;
  /** The coordinators' Teams card (bound once the adapter exists). */
  coordinatorChannel?: CoordinatorChannel;
  /** REFERRALS=phone: the referral flow gives the line to phone and a record instead of queueing. */
  referralsMode: 'mash' | 'phone';
  /** MASH_SCHEMA_VERSION as resolved (mashSchemaVersionOf): what a referral is filed as. */
  mashSchemaVersion?: ReferralSchemaVersion;
  ackWindow?: AckWindow;
  delivery: { retryBudgetHours: number; noticeRetryHours: number; probeParkedEveryMs: number; onCredentialsRefused?: (status: number) => Promise<void> | void };
  /** Counted (sg_conversations_unreadable_total): a stored conversation could not be read and restarted. */
  onUnreadable?: () => void;
  /** Web chat continuity: each professional's bound conversation, the transcripts it is checked against, and new ids. */
  webChat: { bindings: WebChatBindings; transcripts: Pick<TranscriptStore, 'meta'>; newConversationId(): string; channelId: string };
  /** Unfinished referrals (issue 20 item 2) and RETENTION_DRAFT_DAYS. */
  drafts: { store: ReferralDrafts; retentionDays: number; now?: () => Date; teamsUserOf?: ReferralDraftPorts['teamsUserOf'] };
}

/**
 * The use cases, one module each in this folder, each a factory that receives its ports; the channels
 * (`bot/`) and the HTTP routes only translate and call them. Built once by `createApp`, which returns them.
 */
export function createServices(ports: ServicePorts) {
  const { pack, logger, audit, registry, handoffs, notify } = ports;
  const referrals = createReferralService({
    outbox: ports.outbox,
    followUps: ports.followUps,
    registry,
    handoffs,
    notify,
    pack,
    logger,
    audit,
    ackWindow: ports.ackWindow,
    mashSchemaVersion: ports.mashSchemaVersion,
  });
  const coordinatorTriage = createCoordinatorTriage({ handoffs, audit, pack, logger, notify, channel: ports.coordinatorChannel });
  const drafts = createReferralDraftService({
    drafts: ports.drafts.store,
    retentionDays: ports.drafts.retentionDays,
    audit,
    pack,
    logger,
    ...(ports.drafts.now ? { now: ports.drafts.now } : {}),
    ...(ports.drafts.teamsUserOf ? { teamsUserOf: ports.drafts.teamsUserOf } : {}),
  });
  // What a saved turn asks the I/O layer to do, one handler per effect kind (the compiler lists a missing one).
  const runEffects = createEffectSink(
    {
      'audit.append': auditAppendHandler(audit),
      'outbox.enqueue': referrals.enqueue,
      'handoff.open': coordinatorTriage.openFromEffect,
      'referral.phone': referrals.recordPhoned,
      'draft.save': drafts.save,
      'draft.discard': drafts.discard,
    },
    logger,
  );
  const turns = createConversationTurns({
    store: ports.store,
    runtime: createRuntime({ pack, referrals: ports.referralsMode }),
    logger,
    runEffects,
    onUnreadable: ports.onUnreadable,
  });
  return {
    /** Take a turn durably: load, run the flows, compare-and-set save, then the effects. */
    turns,
    /** File, deliver, apply MASH events, tell the referrer later (the referral use cases together). */
    referrals,
    /** A professional's own referrals and their answers to the MASH's questions. */
    myReferrals: {
      listFor: referrals.listFor,
      listForAad: referrals.listForAad,
      // The referrer's copy of what a version 1 MASH could not take (kept.txt, issue 21): without it the tab's link was a 404.
      keptCopy: referrals.keptCopy,
      answerQuestion: referrals.answerQuestion,
      // Filed referrals, then the unfinished ones (issue 20 item 2), in Teams and web chat alike.
      message: async (channelId: string, userId: string) => drafts.withDrafts(await referrals.message(channelId, userId), channelId, userId),
      drafts: drafts.listFor,
    },
    /** Unfinished referrals: saved, listed, resumed, discarded and expired (with audit entries). */
    drafts,
    /** The MASH's and coordinators' questions to this professional, listed and answered from My referrals. */
    questions: createReferrerQuestions({ registry, sendAnswer: referrals.sendAnswer, handoffs: coordinatorTriage, webChatChannelId: ports.webChat.channelId }),
    /** Deliver the MASH and follow-up outboxes (started once the service listens). */
    deliverOutbox: createDeliverOutbox({ outbox: ports.outbox, followUps: ports.followUps, referrals, logger, ...ports.delivery }),
    coordinatorTriage,
    insights: createPartnershipInsights({ audit, pack, logger }),
    /** Web chat continuity: the professional's one conversation, resumed by every page they open. */
    webChatConversations: createWebChatConversations({
      bindings: ports.webChat.bindings,
      transcripts: ports.webChat.transcripts,
      newConversationId: () => ports.webChat.newConversationId(),
      logger,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
