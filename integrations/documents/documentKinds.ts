import type { z } from 'zod';
import { conversationRecordSchema } from '../../flows';
import { storedReferenceSchema, notificationListSchema } from '../conversationReferences/conversationReferences';
import { awaitingReplySchema, handoffIndexSchema, handoffSchema, type Handoff } from '../handoffs/handoffQueue';
import { ownerIndexSchema, pendingQuestionSchema, referralTrackingSchema, seenEventSchema } from '../referrals/referralRegistry';
import type { DocumentTtl } from '../store/conversationStore';
import { webChatBindingRefreshMs, webChatBindingSchema } from '../webChatBindings/webChatBindings';
import { referralDraftListSchema } from '../drafts/referralDrafts';
import type { DocumentKind } from '../store/documentKind';

export type { DocumentKind } from '../store/documentKind';

/** The retention periods that come from configuration; the other kinds keep theirs fixed below. */
export interface RetentionPeriods {
  /** RETENTION_CONVERSATION_HOURS (else CONVERSATION_TTL_HOURS), in ms: idle conversations. */
  conversationMs: number;
  /** RETENTION_HANDOFF_DAYS, in ms: how long a handoff is kept after closing. */
  closedHandoffMs: number;
  /** RETENTION_DRAFT_DAYS, in ms: an unfinished referral is kept this long from its last change. */
  draftMs: number;
}

/** A row of the table: the place, the record's schema and how long a record is kept after each save. */
export interface DocumentKindRow<T> extends DocumentKind {
  schema: z.ZodType<T>;
  retention: (periods: RetentionPeriods) => DocumentTtl<T>;
}

const day = 24 * 3600 * 1000;
/**
 * A professional's drafts outlive each draft's own period by this much, so the hourly sweep (which audits
 * each draft it removes) always finds an expired draft before the store's expiry could remove it silently.
 */
export const draftSweepGraceMs = day;
/** How long we track a filed referral's progress (its payload is gone from the outbox on delivery). */
export const referralTrackingMs = 90 * day;
/** How long a MASH event id is remembered to ignore repeats (the MASH retries for at most a day or so). */
const seenEventMs = 30 * day;
/**
 * An open or claimed handoff is a child's case in progress: it must not vanish because nobody touched it
 * for RETENTION_HANDOFF_DAYS. It is kept a year from its last change (a ceiling, so an abandoned one still
 * goes), and the retention period runs from closing. The index lives as long as the longest handoff.
 */
export const activeHandoffTtlMs = 365 * day;
const handoffTtl = (closedMs: number) => (handoff: Handoff) => (handoff.status === 'closed' ? closedMs : Math.max(activeHandoffTtlMs, closedMs));

const row = <T>(kind: Omit<DocumentKindRow<T>, 'name'>) => kind;

/**
 * Every document kind, once. Both stores are built from these rows (`openEmbeddedDocumentStores`,
 * `openRedisDocumentStores`) and `keys:rotate` walks them. Folders, namespaces and contexts are the
 * names of data already on disk and in Redis: never rename one.
 */
const rows = {
  conversations: row({ folder: 'conversations', namespace: 'conv', context: 'conversation', schema: conversationRecordSchema, retention: (p) => p.conversationMs }),
  referrals: row({ folder: 'referrals', namespace: 'referral', context: 'referral', schema: referralTrackingSchema, retention: () => referralTrackingMs }),
  'referral-owners': row({ folder: 'referral-owners', namespace: 'referral-owner', context: 'referral-owner', schema: ownerIndexSchema, retention: () => referralTrackingMs }),
  'mash-events': row({ folder: 'mash-events', namespace: 'mash-event', context: 'mash-event', schema: seenEventSchema, retention: () => seenEventMs }),
  'mash-questions': row({ folder: 'mash-questions', namespace: 'mash-question', context: 'mash-question', schema: pendingQuestionSchema, retention: () => referralTrackingMs }),
  handoffs: row({ folder: 'handoffs', namespace: 'handoff', context: 'handoff', schema: handoffSchema, retention: (p) => handoffTtl(p.closedHandoffMs) }),
  'handoff-index': row({
    folder: 'handoff-index',
    namespace: 'handoff-index',
    context: 'handoff-index',
    schema: handoffIndexSchema,
    retention: (p) => Math.max(activeHandoffTtlMs, p.closedHandoffMs),
  }),
  'handoff-awaiting': row({
    folder: 'handoff-awaiting',
    namespace: 'handoff-awaiting',
    context: 'handoff-awaiting',
    schema: awaitingReplySchema,
    retention: (p) => p.closedHandoffMs,
  }),
  'conversation-references': row({
    folder: 'conversation-references',
    namespace: 'conversation-reference',
    context: 'conversation-reference',
    schema: storedReferenceSchema,
    retention: () => referralTrackingMs,
  }),
  'web-notifications': row({
    folder: 'web-notifications',
    namespace: 'web-notifications',
    context: 'web-notifications',
    schema: notificationListSchema,
    retention: () => referralTrackingMs,
  }),
  // A professional's current web chat conversation: as long as the conversation, plus the refresh interval so it never goes first.
  'webchat-bindings': row({
    folder: 'webchat-bindings',
    namespace: 'webchat-binding',
    context: 'webchat-binding',
    schema: webChatBindingSchema,
    retention: (p) => p.conversationMs + webChatBindingRefreshMs,
  }),
  // Unfinished referrals (issue 20 item 2), one document per professional: removed by the sweep when each draft expires.
  'referral-drafts': row({
    folder: 'referral-drafts',
    namespace: 'referral-draft',
    context: 'referral-draft',
    schema: referralDraftListSchema,
    retention: (p) => p.draftMs + draftSweepGraceMs,
  }),
};

type Rows = typeof rows;
export type DocumentKindName = keyof Rows;
/** The record type a kind's schema validates. */
export type RecordOfKind<K extends DocumentKindName> = z.output<Rows[K]['schema']>;
export type DocumentKinds = { [K in DocumentKindName]: DocumentKindRow<RecordOfKind<K>> & { name: K } };

/** The table, by name (each row's `name` is its key: what `keys:rotate` prints). */
export const documentKinds = Object.fromEntries(Object.entries(rows).map(([name, kind]) => [name, { name, ...kind }])) as DocumentKinds;
/** Every kind's name, in the table's order. */
export const documentKindNames = Object.keys(rows) as DocumentKindName[];
