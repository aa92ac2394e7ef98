import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeliveryWorker, createEmbeddedOutbox, createMashClient, referralOutboxEntry } from '../integrations';
import { referralBody } from './support/mashFixtures';
import { startMashStub } from './support/mashStub';
import { testCodec, testDataDir } from './support/outboxTesting';
import { projectRoot } from './support/serviceProcess';
import { waitFor } from './support/waitFor';

/** Pids holding leases in the embedded outbox queue of `dataDir`. */
function leaseHolders(dataDir: string): number[] {
  const queue = join(dataDir, 'outbox', 'queue');
  return readdirSync(queue)
    .filter((name) => name.endsWith('.json'))
    .map((name) => (JSON.parse(readFileSync(join(queue, name), 'utf8')) as { lease?: { pid?: number } | null }).lease?.pid)
    .filter((pid): pid is number => pid !== undefined);
}

describe('embedded outbox after kill -9 of the delivering process', () => {
  it('a new process on the same folder delivers what the killed one was sending, each exactly once, without waiting out its leases', async () => {
    const stub = await startMashStub({ token: 't' });
    const dataDir = testDataDir();
    const key = randomBytes(32);
    const outbox = await createEmbeddedOutbox({ dataDir, codec: testCodec(key) }); // default 60 s leases
    const entries = [referralBody(), referralBody(), referralBody()].map((body) => referralOutboxEntry(body));
    for (const entry of entries) await outbox.enqueue(entry);
    // The MASH is slow: the child's three requests are all in flight when it dies. It still files them later.
    stub.inject({ kind: 'hang', ms: 1500 }, { kind: 'hang', ms: 1500 }, { kind: 'hang', ms: 1500 });

    const child = spawn(process.execPath, ['-r', './test/support/tsRequire.js', 'test/support/outboxWorkerChild.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, OUTBOX_KEY: key.toString('base64'), MASH_URL: stub.baseUrl, MASH_TOKEN: 't' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await waitFor(() => leaseHolders(dataDir).filter((pid) => pid === child.pid).length === 3, `the child to claim all three (output: ${output})`, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 200)); // its requests are now hanging at the MASH
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const delivered: string[] = [];
      const client = createMashClient({ baseUrl: stub.baseUrl, auth: { kind: 'static', token: 't' } });
      const worker = createDeliveryWorker({ outbox, client, onDelivered: (item) => void delivered.push(item.record.clientReference) });
      expect(await worker.runOnce()).toEqual({ delivered: 3, retried: 0, parked: 0, failed: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1600)); // the killed process's requests complete at the MASH
      expect(delivered.sort()).toEqual(entries.map((e) => e.clientReference).sort());
      for (const entry of entries) expect(stub.storedCount(entry.clientReference)).toBe(1);
      expect(stub.storedKeys()).toHaveLength(3);
    } finally {
      child.kill('SIGKILL');
      await stub.close();
    }
  });
});
