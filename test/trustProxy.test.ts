import { tempDataDir, testKey } from './support/serviceProcess';
import { startInProcess, type InProcessService as ServiceProcess } from './support/serviceInProcess';

const metricsToken = 'metrics-scrape-token-0123456789';

/** Status codes of sign-in attempts (POST /signin, an empty form: 400 until limited), one per X-Forwarded-For value. */
async function signInStatuses(service: ServiceProcess, forwardedFor: string[]): Promise<number[]> {
  const statuses: number[] = [];
  const attempt = (address: string) =>
    fetch(`${service.url}/signin`, {
      method: 'POST',
      headers: { 'x-forwarded-for': address, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=',
      redirect: 'manual',
    });
  for (const address of forwardedFor) statuses.push((await attempt(address)).status);
  return statuses;
}

const metricsStatus = async (service: ServiceProcess, headers: Record<string, string> = {}) => (await fetch(`${service.url}/metrics`, { headers })).status;

/**
 * Pen test M6: behind a proxy every request arrives from the proxy's address. TRUST_PROXY tells the
 * service which X-Forwarded-For to believe; without it, none is, so a forged header changes nothing.
 */
describe('TRUST_PROXY unset: X-Forwarded-For is not believed', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RATE_LIMIT_SIGNIN_PER_MINUTE: '2' });
  });
  afterAll(() => service?.stop());

  it('a spoofed X-Forwarded-For does not change the rate-limit key', async () => {
    expect(await signInStatuses(service, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([400, 400, 429]);
  });

  it('/metrics without a token: loopback may scrape, but not a request a proxy forwarded', async () => {
    expect(await metricsStatus(service)).toBe(200);
    expect(await metricsStatus(service, { 'x-forwarded-for': '127.0.0.1' })).toBe(403);
    expect(await metricsStatus(service, { forwarded: 'for=198.51.100.7' })).toBe(403);
  });
});

describe('TRUST_PROXY=1: one proxy in front', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), RATE_LIMIT_SIGNIN_PER_MINUTE: '2', TRUST_PROXY: '1' });
  });
  afterAll(() => service?.stop());

  it('counts each forwarded client under its own key, so one client cannot lock out the others', async () => {
    expect(await signInStatuses(service, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([400, 400, 429]);
    expect(await signInStatuses(service, ['203.0.113.2', '198.51.100.7'])).toEqual([400, 400]);
  });

  it('/metrics without a token refuses a client the proxy says is elsewhere', async () => {
    expect(await metricsStatus(service, { 'x-forwarded-for': '203.0.113.9' })).toBe(403);
  });
});

describe('/metrics with METRICS_TOKEN: the token whatever the address', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startInProcess({ DATA_DIR: tempDataDir(), STATE_ENCRYPTION_KEY: testKey(), METRICS_TOKEN: metricsToken, TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => service?.stop());

  it('refuses loopback without the token and serves it with the token', async () => {
    expect(await metricsStatus(service)).toBe(401);
    expect(await metricsStatus(service, { 'x-forwarded-for': '127.0.0.1' })).toBe(401);
    expect(await metricsStatus(service, { authorization: `Bearer ${metricsToken}` })).toBe(200);
  });
});
