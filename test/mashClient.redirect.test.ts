import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMashClient } from '../integrations';
import { referralBody } from './support/mashFixtures';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  body: string;
}

/** A loopback server that records every request and answers with `answer`. */
async function recorder(answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      const { status, headers = {} } = answer(req);
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/**
 * Pen test M5: the MASH client re-posted a child's referral to wherever a 307 pointed. Now a redirect is
 * a failed attempt (retried like a 5xx, then parked), and the redirect target never hears from us.
 */
describe('outbound MASH requests never follow a redirect', () => {
  let elsewhere: Awaited<ReturnType<typeof recorder>>;
  let redirector: Awaited<ReturnType<typeof recorder>>;
  beforeEach(async () => {
    elsewhere = await recorder(() => ({ status: 201 }));
    redirector = await recorder((req) => ({ status: 307, headers: { location: `${elsewhere.url}/stolen${req.url}` } }));
  });
  afterEach(async () => {
    await redirector.close();
    await elsewhere.close();
  });

  it.each([307, 308, 302, 301])('a %i to another origin is a retryable failure and the other origin never receives the referral', async (status) => {
    await redirector.close();
    redirector = await recorder((req) => ({ status, headers: { location: `${elsewhere.url}/stolen${req.url}` } }));
    const client = createMashClient({ baseUrl: `${redirector.url}/v1`, auth: { kind: 'static', token: 'static-token' }, timeoutMs: 2000 });
    const body = referralBody();
    const outcome = await client.submitReferral(body, body.clientReference);
    expect(outcome).toEqual({ kind: 'retryable', status, reason: `the MASH answered a redirect (${status}), which is never followed` });
    // The reason is what the worker logs: no personal data and not even the redirect target.
    expect(JSON.stringify(outcome)).not.toContain(body.child.firstName);
    expect(JSON.stringify(outcome)).not.toContain(elsewhere.url);
    expect(redirector.seen).toHaveLength(1);
    expect(redirector.seen[0].body).toContain(body.clientReference);
    expect(elsewhere.seen).toEqual([]);
  });

  it('does not follow a redirect from the OAuth2 token endpoint with the client secret', async () => {
    const client = createMashClient({
      baseUrl: `${elsewhere.url}/v1`,
      auth: { kind: 'oauth2', tokenUrl: `${redirector.url}/token`, clientId: 'bot', clientSecret: 'client-secret-value' },
      timeoutMs: 2000,
    });
    const body = referralBody();
    const outcome = await client.submitReferral(body, body.clientReference);
    expect(outcome).toMatchObject({ kind: 'retryable', status: 307 });
    expect(redirector.seen).toHaveLength(1);
    expect(redirector.seen[0].body).toContain('client-secret-value');
    expect(elsewhere.seen).toEqual([]);
  });
});
