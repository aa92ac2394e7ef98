import { botClient } from './support/botClient';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector';
import { startMashStub, type MashStub } from './support/mashStub';
import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';
import { referralAnswers as answers, until } from './support/referralAnswers';

const token = 'metrics-test-mash-token-0123456789';
const metricsToken = 'metrics-scrape-token-0123456789';

/** One sample's value from Prometheus text, e.g. value(text, 'sg_turns_total{channel="test",outcome="ok"}'). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics (Prometheus, one registry per instance)', () => {
  let stub: MashStub;
  let connector: FakeConnector;
  let service: ServiceProcess;
  const scrape = async (auth = `Bearer ${metricsToken}`) => {
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: auth } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    stub = await startMashStub({ token });
    connector = await startFakeConnector();
    service = await startInProcess({
      DATA_DIR: tempDataDir(),
      STATE_ENCRYPTION_KEY: testKey(),
      MASH_INTAKE_URL: stub.baseUrl,
      MASH_API_TOKEN: token,
      METRICS_TOKEN: metricsToken,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await stub.close();
    await connector.close();
  });

  it('refuses a scrape without the token', async () => {
    const res = await scrape('Bearer wrong-token-wrong-token-xx');
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
  });

  it('counts turns, times them, and counts the delivery of a referral, with no personal data in the output', async () => {
    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/plain');
    expect(before.text).toContain('process_resident_memory_bytes');

    const client = botClient(() => service.url, connector, 'metrics-referral', { id: 'dsl-metrics', name: 'Test Teacher' });
    await client.join();
    for (const text of answers) expect((await client.say(text)).status).toBe(200);
    await client.say('Submit');
    await until(
      () => connector.forConversation('metrics-referral').find((a) => a.value?.type === 'safeguarding.referralFiled' && a.value?.status === 'delivered'),
      'the delivered message',
    );

    // The referrer is told before the worker records the attempt: scrape until the record is written.
    let after = await scrape();
    for (let i = 0; i < 100 && value(after.text, 'sg_outbox_delivery_attempts_total{result="delivered"}') === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    const channels = [...after.text.matchAll(/sg_turns_total\{channel="([^"]+)",outcome="ok"\} (\d+)/g)];
    const okTurns = channels.reduce((sum, m) => sum + Number(m[2]), 0);
    expect(okTurns).toBeGreaterThanOrEqual(answers.length + 1);
    expect(after.text).toMatch(/sg_turn_duration_seconds_count\{channel="[^"]+"\} [1-9]/);
    expect(value(after.text, 'sg_outbox_delivery_attempts_total{result="delivered"}')).toBe(1);
    expect(value(after.text, 'sg_outbox_pending')).toBe(0);
    expect(after.text).toContain('sg_handoffs_open{urgency="immediate"} 0');
    for (const personal of ['Test Child', 'Test Teacher', '9434765919', 'metrics-referral', 'dsl-metrics']) expect(after.text).not.toContain(personal);
  });
});
