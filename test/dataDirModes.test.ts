import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { referralAnswers as answers } from './support/referralAnswers';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

/** Every path under `dir` with its permission bits, e.g. ['audit/audit.jsonl', 0o600]. */
function modesUnder(dir: string, prefix = ''): Array<[string, number, 'file' | 'dir']> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const name = join(prefix, entry.name);
    const mode = statSync(path).mode & 0o777;
    return entry.isDirectory() ? [[name, mode, 'dir'] as [string, number, 'dir'], ...modesUnder(path, name)] : [[name, mode, 'file'] as [string, number, 'file']];
  });
}

describe('DATA_DIR permissions (pen test L8)', () => {
  let connector: FakeConnector;
  let service: ServiceProcess | undefined;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    chmodSync(dataDir, 0o755); // an operator's folder made with the usual umask
    connector = await startFakeConnector();
    service = await startInProcess({ DATA_DIR: dataDir, STATE_ENCRYPTION_KEY: testKey(), REFERRALS: 'phone' });
  });
  afterAll(async () => {
    await service?.stop();
    await connector.close();
  });

  it('keeps DATA_DIR 0700 and creates the audit log and every other file 0600 in 0700 folders', async () => {
    const client = botClient(() => service!.url, connector, 'modes-1', { id: 'dsl-1', name: 'Test Teacher' });
    await client.join();
    for (const text of answers) await client.say(text);
    await client.say('Submit');
    await client.say('my referrals');

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const entries = modesUnder(dataDir);
    expect(entries.map(([name]) => name)).toContain(join('audit', 'audit.jsonl'));
    const wrong = entries.filter(([, mode, kind]) => mode !== (kind === 'dir' ? 0o700 : 0o600)).map(([name, mode]) => `${name} ${mode.toString(8)}`);
    expect(wrong).toEqual([]);
  });
});
