import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, type Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { ConversationRecord } from '../flows';
import {
  createEnvelopeCipher,
  createRecordCodec,
  createRedisConversationStore,
  conversationGuards,
  createRedisOutbox,
  encryptionKey,
  referralOutboxEntry,
  rememberedConversations,
} from '../integrations';
import { referralBody } from './support/mashFixtures';
import { testCodec } from './support/outboxTesting';
import { freePort } from './support/serviceProcess';

/**
 * Redis Cluster is the documented scale path, and a script touching keys in two slots fails there with
 * CROSSSLOT. Every outbox script (enqueue, promote, claim, settle, quarantine, withdraw, replay) runs here
 * against a real three-node cluster, for the MASH outbox and the follow-up queue, proving that each
 * touches one slot. The nodes are started with their own ports and folders and stopped by PID.
 */
const nodes: ChildProcess[] = [];
let ports: number[] = [];
let cluster: Cluster;
const available = spawnSync('redis-server', ['--version']).status === 0;
const describeWithServer = available ? describe : describe.skip;

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .includes('PONG')
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis node on ${port} did not start`);
}

describeWithServer('outbox scripts on a three-node Redis Cluster', () => {
  beforeAll(async () => {
    ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      const dir = mkdtempSync(join(tmpdir(), 'sg-cluster-'));
      nodes.push(
        spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, 'nodes.conf'),
            '--dir',
            dir,
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    await Promise.all(ports.map(waitForPing));
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`cluster create failed: ${created.stdout} ${created.stderr}`);
    cluster = new Cluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 2 } },
    );
    for (let i = 0; i < 100; i++) {
      const info = await cluster.cluster('INFO').catch(() => '');
      if (String(info).includes('cluster_state:ok')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 20_000);

  afterAll(async () => {
    await cluster?.quit().catch(() => undefined);
    for (const node of nodes) if (node.pid) process.kill(node.pid, 'SIGKILL');
  });

  it.each([['outbox'], ['follow-ups']])(
    'runs every %s script without CROSSSLOT',
    async (name) => {
      // ioredis' Cluster routes each script call by its keys: the outbox only needs the commands both share.
      const outbox = createRedisOutbox({ redis: cluster as unknown as Redis, codec: testCodec(), keyPrefix: `sgc:${Date.now()}:`, name, leaseMs: 1000 });
      const refs: string[] = [];
      for (let i = 0; i < 4; i++) refs.push((await outbox.enqueue(referralOutboxEntry(referralBody()))).record.clientReference);
      expect((await outbox.enqueue(referralOutboxEntry(referralBody({ clientReference: refs[0] })))).enqueued).toBe(false);
      // Due later: waits in the retry set (enqueue script's delayed branch).
      const later = referralOutboxEntry(referralBody());
      await outbox.enqueue({ ...later, notBefore: Date.now() + 60_000 });

      const items = await outbox.claimDue('node-a', 10);
      expect(items.map((i) => i.record.clientReference).sort()).toEqual([...refs].sort());
      await outbox.settle(items[0], { outcome: 'delivered', reference: 'MASH-1' });
      await outbox.settle(items[1], { outcome: 'retry', nextAttemptAt: Date.now() - 1, reason: 'MASH 503' });
      await outbox.settle(items[2], { outcome: 'parked', reason: 'no delivery within the retry budget (last: MASH 503)' });
      expect(await outbox.replay(items[2].record.clientReference)).toMatchObject({ ok: true });
      expect(await outbox.withdraw(items[3].record.clientReference)).toMatchObject({ status: 'parked' });

      // The retried and the replayed entries come back (promote script); a corrupted one is quarantined.
      const again = await outbox.claimDue('node-b', 10);
      expect(again.map((i) => i.record.clientReference).sort()).toEqual([items[1], items[2]].map((i) => i.record.clientReference).sort());
      for (const item of again) await outbox.settle(item, { outcome: 'delivered', reference: 'MASH-2' });

      const bad = referralOutboxEntry(referralBody());
      await outbox.enqueue(bad);
      await cluster.hset(await findItemKey(bad.clientReference), 'record', '{"not":"a record"}');
      expect(await outbox.claimDue('node-a', 10)).toEqual([]);
      expect(await outbox.quarantined()).toEqual([bad.clientReference]);
      expect((await outbox.pending()).map((r) => r.clientReference)).toEqual([later.clientReference]);
    },
    15_000,
  );

  it('runs the conversation compare-and-set (remembered revisions, conflict reply) on every node without CROSSSLOT', async () => {
    const codec = createRecordCodec(createEnvelopeCipher([encryptionKey(randomBytes(32))]));
    const keyPrefix = `sgc:${Date.now()}:`; // once: two instances share one store
    const open = () =>
      createRedisConversationStore({
        redis: cluster as unknown as Redis,
        codec,
        ttlMs: 60_000,
        keyPrefix,
        remember: rememberedConversations,
        guards: conversationGuards,
      });
    const [a, b] = [open(), open()];
    // The awaited-reply documents sit in other slots: no guard is offered, so turns read them first (issue 23).
    expect(a.guards).toEqual([]);
    const record = (turn: number): ConversationRecord => ({
      machineId: 'conversation',
      machineVersion: 'conversation@1',
      snapshot: { value: 'menu', status: 'active', context: {} },
      trail: [],
      turn,
      contentVersion: '0.1.0',
      startedAt: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
    });
    // Enough conversations that their keys land on all three nodes.
    for (let i = 0; i < 12; i++) {
      const id = `cluster-conversation-${i}`;
      expect(await a.save(id, record(1), (await a.loadForUpdate!(id)).rev)).toEqual({ ok: true, rev: 1 });
      expect(await b.save(id, record(2), (await b.loadForUpdate!(id)).rev)).toEqual({ ok: true, rev: 2 });
      expect(await a.save(id, record(2), 1)).toEqual({ ok: false, reason: 'conflict' });
      expect(await a.loadForUpdate!(id)).toMatchObject({ rev: 2, record: { turn: 2 } });
    }
  });
});

/** The item key of `ref`, searched on every master (SCAN is per node). */
async function findItemKey(ref: string): Promise<string> {
  for (const node of cluster.nodes('master')) {
    const keys = await node.keys(`*:item:${ref}`);
    if (keys.length) return keys[0];
  }
  throw new Error(`no item key for ${ref}`);
}
