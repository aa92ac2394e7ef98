import { countBy, tableOf, text } from './tally';
import type { AuditFact, RawTable } from './types';
import { acknowledgedInTime, acknowledgementDeadline, type BankHolidays } from './workingDays';
import { localTime } from '../advice/zonedTime';

/** One filed referral with what happened to it later (events may fall after the range). */
export interface ReferralStory {
  referral: AuditFact;
  events: AuditFact[];
}

const minute = 60_000;
const hour = 60 * minute;
const eventOf = (e: AuditFact) => text(e, 'event');
const firstAt = (story: ReferralStory, event: string) =>
  story.events
    .filter((e) => eventOf(e) === event)
    .map((e) => e.recordedAt)
    .sort()[0];

export function statusOf(story: ReferralStory): 'delivered' | 'parked' | 'queued' {
  if (firstAt(story, 'delivered')) return 'delivered';
  return firstAt(story, 'parked') ? 'parked' : 'queued';
}

function deliveryBand(story: ReferralStory): string | undefined {
  const delivered = firstAt(story, 'delivered');
  if (!delivered) return undefined;
  const ms = Date.parse(delivered) - Date.parse(story.referral.recordedAt);
  if (ms < minute) return 'under-1-minute';
  if (ms < 15 * minute) return '1-to-15-minutes';
  if (ms < hour) return '15-to-60-minutes';
  return ms < 24 * hour ? '1-to-24-hours' : 'over-24-hours';
}

function acknowledgement(story: ReferralStory, holidays: BankHolidays, now: string): string {
  const acknowledged = firstAt(story, 'acknowledged');
  if (acknowledged) return acknowledgedInTime(story.referral.recordedAt, acknowledged, holidays) ? 'yes' : 'no';
  const deadline = acknowledgementDeadline(story.referral.recordedAt, holidays);
  const at = localTime(new Date(now));
  const passed = at.date > deadline.date || (at.date === deadline.date && at.minute > deadline.minute);
  return passed ? 'no' : 'not-yet-due';
}

const ackLabels: Record<string, string> = { yes: 'Yes', no: 'No', 'not-yet-due': 'Not acknowledged yet, still within one working day' };
const bandLabels: Record<string, string> = {
  'under-1-minute': 'Under 1 minute',
  '1-to-15-minutes': '1 to 15 minutes',
  '15-to-60-minutes': '15 to 60 minutes',
  '1-to-24-hours': '1 to 24 hours',
  'over-24-hours': 'Over 24 hours',
};

/** Referrals filed, delivered, parked; time to delivery; acknowledgement in time; MASH decisions. */
export function referralTables(stories: ReferralStory[], holidays: BankHolidays, now: string): RawTable[] {
  const decisions = stories
    .map((s) => s.events.filter((e) => eventOf(e) === 'decision').map((e) => text(e, 'outcome') ?? 'unknown')[0])
    .filter((d): d is string => d !== undefined);
  return [
    tableOf(
      {
        id: 'referrals-by-status',
        title: 'Referrals filed, by delivery to the MASH',
        rowHeader: 'Status',
        column: 'Referrals',
        order: ['delivered', 'parked', 'queued'],
        label: (k) => ({ delivered: 'Delivered', parked: 'Parked (referrer asked to phone)', queued: 'Still queued' })[k] ?? k,
      },
      countBy(stories, statusOf),
    ),
    tableOf(
      {
        id: 'referrals-time-to-delivery',
        title: 'Time from submitting to delivery at the MASH',
        rowHeader: 'Time to delivery',
        column: 'Referrals',
        order: Object.keys(bandLabels),
        label: (k) => bandLabels[k] ?? k,
      },
      countBy(stories, deliveryBand),
    ),
    tableOf(
      {
        id: 'referrals-acknowledged-in-time',
        title: 'MASH acknowledgement within one working day',
        rowHeader: 'Acknowledged in time',
        column: 'Referrals',
        order: ['yes', 'no', 'not-yet-due'],
        label: (k) => ackLabels[k] ?? k,
      },
      countBy(
        stories.filter((s) => statusOf(s) === 'delivered'),
        (s) => acknowledgement(s, holidays, now),
      ),
    ),
    tableOf(
      {
        id: 'referrals-by-decision',
        title: 'MASH decisions by outcome',
        rowHeader: 'Decision',
        column: 'Referrals',
        order: ['nfa', 'early-help', 'assessment', 'strategy-discussion', 'police'],
        label: (k) => (k === 'nfa' ? 'No further action' : k.charAt(0).toUpperCase() + k.slice(1).replace(/-/g, ' ')),
      },
      countBy(decisions, (d) => d),
    ),
  ];
}

/** One coordinator handoff with its claim, if any. */
export interface HandoffStory {
  handoff: AuditFact;
  claimedAt?: string;
}

function claimBand(story: HandoffStory): string {
  if (!story.claimedAt) return 'not-claimed';
  const ms = Date.parse(story.claimedAt) - Date.parse(story.handoff.recordedAt);
  if (ms < 15 * minute) return 'under-15-minutes';
  if (ms < hour) return '15-to-60-minutes';
  return ms < 4 * hour ? '1-to-4-hours' : 'over-4-hours';
}

const claimLabels: Record<string, string> = {
  'under-15-minutes': 'Under 15 minutes',
  '15-to-60-minutes': '15 to 60 minutes',
  '1-to-4-hours': '1 to 4 hours',
  'over-4-hours': 'Over 4 hours',
  'not-claimed': 'Not claimed yet',
};

/** Handoffs to a coordinator by urgency, and how long they waited to be claimed. */
export function handoffTables(stories: HandoffStory[]): RawTable[] {
  return [
    tableOf(
      { id: 'handoffs-by-urgency', title: 'Handoffs to a coordinator by urgency', rowHeader: 'Urgency', column: 'Handoffs', order: ['immediate', 'same-day', 'routine'] },
      countBy(stories, (s) => text(s.handoff, 'urgency') ?? 'unknown'),
    ),
    tableOf(
      {
        id: 'handoffs-time-to-claim',
        title: 'Time from handoff to a coordinator claiming it',
        rowHeader: 'Time to claim',
        column: 'Handoffs',
        order: Object.keys(claimLabels),
        label: (k) => claimLabels[k] ?? k,
      },
      countBy(stories, claimBand),
    ),
  ];
}
