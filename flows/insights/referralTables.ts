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
const voltLabels: Record<string, string> = { persons: 'Persons of concern', vehicles: 'Vehicles', places: 'Places' };

/** A referral's VOLT counts as its audit record holds them (referralEffects), read with care: audit payloads are loose. */
function voltOf(referral: AuditFact): { persons: number; vehicles: number; places: number; districts: string[] } | undefined {
  const volt = referral.payload.volt as Record<string, unknown> | undefined;
  if (!volt || typeof volt !== 'object') return undefined;
  const n = (key: string) => (typeof volt[key] === 'number' && Number.isFinite(volt[key]) ? volt[key] : 0);
  const districts = Array.isArray(volt.districts) ? volt.districts.filter((d): d is string => typeof d === 'string' && /^[A-Z0-9]{2,4}$/.test(d)) : [];
  return { persons: n('persons'), vehicles: n('vehicles'), places: n('places'), districts };
}

function voltTotals(stories: ReferralStory[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of stories) {
    const volt = voltOf(s.referral);
    if (!volt) continue;
    for (const key of ['persons', 'vehicles', 'places'] as const) totals.set(key, (totals.get(key) ?? 0) + volt[key]);
  }
  return totals;
}

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
    // The VOLT picture (issue 21 item 6): counts and postcode districts only, suppressed like every table.
    tableOf(
      {
        id: 'referrals-volt',
        title: 'People, vehicles and places of concern named in referrals',
        rowHeader: 'Named',
        column: 'Count',
        order: ['persons', 'vehicles', 'places'],
        label: (k) => voltLabels[k] ?? k,
        partition: false,
      },
      voltTotals(stories),
    ),
    tableOf(
      {
        id: 'referrals-places-by-district',
        title: 'Referrals naming a place of concern, by postcode district',
        rowHeader: 'Postcode district',
        column: 'Referrals',
        label: (k) => k,
        partition: false,
      },
      countBy(stories, (s) => voltOf(s.referral)?.districts),
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
