import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditCodec, createEnvelopeCipher, encryptionKey, type AuditEntry } from '../../integrations';

/**
 * A synthetic audit log for partnership insight: a few thousand decisions, screenings, referrals (with
 * delivery, parking, MASH acknowledgements and decisions) and handoffs, seeded so every run is the same.
 * Beside each entry the generator keeps the truth the tests count independently (organisation type,
 * local date, expected bands), so the aggregation is checked against counts it did not make.
 * Identifying-looking words (synthetic only) sit where a careless aggregation could pick them up.
 */
export const organisations = [
  { name: 'Test Primary School', type: 'school' },
  { name: 'Test NHS Foundation Trust', type: 'health' },
  { name: 'Test Constabulary', type: 'police' },
  { name: "Test Children's Services", type: 'social-care' },
  { name: 'Test Youth Club', type: 'voluntary' },
  { name: 'Test Garage Ltd', type: 'other' },
] as const;

export const identifying = ['Test Child', 'Test Teacher', 'test.teacher@example.org', '9434765919', 'GL1 1AA', '2012-05-14'];

export interface Truth {
  kind: 'sharing' | 'screening' | 'referral' | 'handoff';
  localDate: string;
  channel: string;
  organisationType: string;
  key: Record<string, string>;
}

export interface SyntheticLog {
  entries: AuditEntry[];
  truths: Truth[];
}

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
export const localDate = (iso: string) => londonDate.format(new Date(iso));

const hour = 3_600_000;
const minute = 60_000;

export function syntheticLog(options: { seed?: number; count?: number; start?: string; days?: number } = {}): SyntheticLog {
  const random = prng(options.seed ?? 11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  const span = (options.days ?? 88) * 24 * hour;
  const entries: AuditEntry[] = [];
  const truths: Truth[] = [];
  const count = options.count ?? 3000;
  for (let i = 0; i < count; i++) {
    const at = new Date(start + Math.floor(random() * span)).toISOString();
    const org = pick(organisations);
    const channel = pick(['msteams', 'directline']);
    const actor = { channelId: channel, userId: `user-${i % 97}`, userName: 'Test Teacher', organisation: org.name };
    const base = { localDate: localDate(at), channel, organisationType: org.type };
    const roll = random();
    if (roll < 0.35) addSharing(i, at, actor, base);
    else if (roll < 0.7) addScreening(i, at, actor, base);
    else if (roll < 0.9) addReferral(i, at, actor, base);
    else addHandoff(i, at, actor, base);
  }
  return { entries, truths };

  function addSharing(i: number, at: string, actor: AuditEntry['actor'], base: Omit<Truth, 'kind' | 'key'>) {
    const outcome = pick(['share', 'share-without-consent', 'seek-consent', 'do-not-share', 'seek-advice', 'emergency']);
    const reason = outcome === 'share-without-consent' ? pick(['would-increase-risk', 'prejudice-crime', 'cannot-consent']) : undefined;
    const payload = {
      recordType: 'sharing-decision',
      decisionId: `share-${i}`,
      outcome,
      ...(reason ? { reason } : {}),
      answers: { 'share-purpose': 'Test Child, NHS 9434765919, GL1 1AA' },
      recordedAt: at,
    };
    entries.push({ id: `share-${i}`, recordType: 'sharing-decision', recordedAt: at, actor, payload });
    truths.push({ kind: 'sharing', ...base, key: { outcome, reason: reason ?? 'not-recorded' } });
  }

  function addScreening(i: number, at: string, actor: AuditEntry['actor'], base: Omit<Truth, 'kind' | 'key'>) {
    const category = Math.floor(random() * 5);
    const ageBand = pick(['under-10', '10-13', '14-15', '16-17']);
    const indicators = ['missing', 'older-partner', 'unexplained-gifts', 'drugs-money', 'online-contact', 'school-decline'].filter(() => random() < 0.3);
    const payload = {
      recordType: 'screening',
      screeningId: `screen-${i}`,
      category,
      pathway: category >= 3 ? 'mash-referral' : 'early-help',
      ageBand,
      indicators: indicators.map((id) => ({ id, label: id, weight: 'risk' })),
      rationale: 'synthetic',
      recordedAt: at,
    };
    entries.push({ id: `screen-${i}`, recordType: 'screening', recordedAt: at, actor, payload });
    truths.push({ kind: 'screening', ...base, key: { category: String(category), ageBand, indicators: indicators.join(',') } });
  }

  function addReferral(i: number, at: string, actor: AuditEntry['actor'], base: Omit<Truth, 'kind' | 'key'>) {
    const ref = `SG-${i}`;
    const recordTypeFree = i % 2 === 0; // half carry the type (newer records), half only the actor's organisation
    entries.push({
      id: ref,
      recordType: 'referral',
      recordedAt: at,
      actor,
      payload: {
        recordType: 'referral',
        clientReference: ref,
        category: 3,
        urgency: 'same-day',
        ...(recordTypeFree ? { organisationType: base.organisationType } : {}),
        recordedAt: at,
      },
    });
    const system = { channelId: actor.channelId, userId: 'safeguarding-bot' };
    const event = (suffix: string, name: string, ms: number, extra: Record<string, unknown> = {}) => {
      const when = new Date(Date.parse(at) + ms).toISOString();
      entries.push({
        id: `${ref}.${suffix}`,
        recordType: 'referral-event',
        recordedAt: when,
        actor: system,
        payload: { recordType: 'referral-event', clientReference: ref, event: name, ...extra },
      });
    };
    const fate = random();
    const key: Record<string, string> = { status: fate < 0.8 ? 'delivered' : fate < 0.9 ? 'parked' : 'queued' };
    if (key.status === 'parked') event('parked', 'parked', 25 * hour);
    if (key.status === 'delivered') {
      const band = pick([
        ['under-1-minute', 20_000],
        ['1-to-15-minutes', 5 * minute],
        ['15-to-60-minutes', 30 * minute],
        ['1-to-24-hours', 3 * hour],
        ['over-24-hours', 30 * hour],
      ] as const);
      key.delivery = band[0];
      event('delivered', 'delivered', band[1]);
      // Within 24 hours of submission is always within one working day; five days never is.
      const ack = band[0] === 'over-24-hours' ? 0.7 : random();
      key.ack = ack < 0.6 ? 'yes' : 'no';
      if (ack < 0.6) event('ack', 'acknowledged', band[1] + minute);
      else if (ack < 0.8) event('ack', 'acknowledged', 5 * 24 * hour);
      if (random() < 0.5) {
        key.decision = pick(['nfa', 'early-help', 'assessment', 'strategy-discussion', 'police']);
        event('decision', 'decision', 6 * 24 * hour, { outcome: key.decision });
      }
    }
    truths.push({ kind: 'referral', ...base, key });
  }

  function addHandoff(i: number, at: string, actor: AuditEntry['actor'], base: Omit<Truth, 'kind' | 'key'>) {
    const urgency = pick(['immediate', 'same-day', 'routine']);
    const id = `handoff-${i}`;
    entries.push({ id, recordType: 'handoff', recordedAt: at, actor, payload: { recordType: 'handoff', handoffId: id, kind: 'talk-to-coordinator', urgency } });
    const claim = pick([
      ['under-15-minutes', 5 * minute],
      ['15-to-60-minutes', 40 * minute],
      ['1-to-4-hours', 2 * hour],
      ['over-4-hours', 9 * hour],
      ['not-claimed', -1],
    ] as const);
    if (claim[1] >= 0) {
      const when = new Date(Date.parse(at) + claim[1]).toISOString();
      entries.push({
        id: `${id}.claimed`,
        recordType: 'handoff-claimed',
        recordedAt: when,
        actor: { channelId: 'webchat', userId: 'coordinator-1' },
        payload: { recordType: 'handoff-claimed', handoffId: id },
      });
    }
    truths.push({ kind: 'handoff', ...base, key: { urgency, claim: claim[0] } });
  }
}

/** Writes entries as the embedded audit log stores them (encrypted lines), fast, before a service starts. */
export function writeEmbeddedAuditLog(dataDir: string, base64Key: string, entries: AuditEntry[]): void {
  const codec = createAuditCodec(createEnvelopeCipher([encryptionKey(Buffer.from(base64Key, 'base64'))]));
  mkdirSync(join(dataDir, 'audit'), { recursive: true, mode: 0o700 });
  const lines = entries.map((entry) => JSON.stringify({ id: entry.id, data: codec.encode(entry.id, entry) }));
  writeFileSync(join(dataDir, 'audit', 'audit.jsonl'), `${lines.join('\n')}\n`, { mode: 0o600 });
}
