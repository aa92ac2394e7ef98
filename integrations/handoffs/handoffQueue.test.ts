import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelopeCipher, encryptionKey } from '../crypto/envelopeCipher';
import { createHandoffQueue, type Handoff } from './handoffQueue';
import { embeddedHandoffStores } from '../documents/handoffStores';

const cipher = createEnvelopeCipher([encryptionKey(randomBytes(32))]);
const start = Date.parse('2026-03-02T10:00:00Z');

function handoff(id: string, urgency: Handoff['urgency'], minutesAgo: number, category?: number): Handoff {
  return {
    handoffId: id,
    kind: 'parked-referral',
    referrer: { channelId: 'msteams', conversation: {} },
    summary: `case ${id}`,
    urgency,
    createdAt: new Date(start - minutesAgo * 60_000).toISOString(),
    status: 'open',
    messages: [],
    ...(category !== undefined ? { category } : {}),
  };
}

async function queue(nowMs: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-handoffs-'));
  return createHandoffQueue(await embeddedHandoffStores(dataDir, cipher, 86_400_000), () => nowMs);
}

describe('coordinator handoff queue', () => {
  it('triages by urgency, then category, then age, and opens each id once', async () => {
    const q = await queue(start);
    await q.open(handoff('routine-old', 'routine', 600, 4));
    await q.open(handoff('same-day-cat2', 'same-day', 10, 2));
    await q.open(handoff('same-day-cat3', 'same-day', 5, 3));
    await q.open(handoff('immediate', 'immediate', 1, 4));
    expect(await q.open(handoff('immediate', 'immediate', 1, 4))).toEqual({ opened: false });
    expect((await q.triaged()).map((h) => h.handoffId)).toEqual(['immediate', 'same-day-cat3', 'same-day-cat2', 'routine-old']);
  });

  it('flags an immediate case unclaimed after 15 minutes and a same-day case after 2 hours', async () => {
    const q = await queue(start);
    await q.open(handoff('imm-14', 'immediate', 14));
    await q.open(handoff('imm-16', 'immediate', 16));
    await q.open(handoff('day-119', 'same-day', 119));
    await q.open(handoff('day-121', 'same-day', 121));
    await q.open(handoff('routine-days', 'routine', 60 * 72));
    const flags = Object.fromEntries((await q.triaged()).map((h) => [h.handoffId, h.overdue]));
    expect(flags).toEqual({ 'imm-14': false, 'imm-16': true, 'day-119': false, 'day-121': true, 'routine-days': false });
  });
});
