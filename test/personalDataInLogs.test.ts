import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { botClient } from './support/botClient';
import { startFakeConnector } from './support/fakeConnector';
import { startService, tempDataDir, testKey } from './support/serviceProcess';

const child = { name: 'Test Child', nhsNumber: '9434765919', dob: '14/03/2012', postcode: 'GL1 1AA', email: 'test.parent@example.org' };
const professional = { id: 'user-logs', name: 'Test Professional Person' };

/** Everything a professional might type about a child in one conversation. */
const messages = [
  `${child.name} (NHS ${child.nhsNumber}, born ${child.dob}) keeps going missing`,
  `she lives at 1 Test Street, ${child.postcode}; mum is ${child.email}`,
  'help',
  'Should I share this?',
  '1',
  `${child.name} said she is in danger`,
  'back',
  'restart',
];

describe('logs of a full test conversation', () => {
  it('contain no name, NHS number, date of birth, address, email or message text', async () => {
    const connector = await startFakeConnector();
    const dataDir = tempDataDir();
    const service = await startService({ DATA_DIR: dataDir, LOG_LEVEL: 'trace', STATE_ENCRYPTION_KEY: testKey() });
    try {
      const client = botClient(() => service.url, connector, 'logs-conversation', professional);
      await client.join();
      for (const text of messages) expect((await client.say(text)).status).toBe(200);
      // Error paths log too: an oversized body and broken JSON that both contain the child's details.
      await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `${child.name} ${'x'.repeat(300_000)}` }),
      });
      await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"text": "${child.name} ${child.nhsNumber}"` });
    } finally {
      await service.stop();
      await connector.close();
    }
    const logs = service.output();
    expect(logs).toMatch(/"msg":"turn"/); // the logs are there, and they are about turns
    for (const secret of [child.name, child.nhsNumber, child.dob, child.postcode, child.email, professional.name, 'keeps going missing', '1 Test Street']) {
      expect(logs).not.toContain(secret);
    }
    // The same holds for what is stored: the conversation file is ciphertext.
    const stored = readdirSync(join(dataDir, 'conversations'))
      .map((f) => readFileSync(join(dataDir, 'conversations', f), 'utf8'))
      .join('\n');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toMatch(/Test|9434765919|ANSWER|menu/);
  });
});
