import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the MASH intake contract's `POST /referrals`, cheap enough not to be what is
 * measured: files each Idempotency-Key once (a repeat gets the same receipt, as the contract says) and
 * counts keys answered more than once (a delivery repeated). `failureRate` answers that share of requests 503 with Retry-After: 0
 * before filing, as a MASH behind a busy gateway would.
 */
export async function startMashStub(options: { failureRate: number; random?: () => number }) {
  const random = options.random ?? Math.random;
  const filed = new Map<string, number>();
  let requests = 0;
  let failures = 0;
  let repeats = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const key = req.headers['idempotency-key'];
      if (req.method !== 'POST' || req.url !== '/mash/v1/referrals' || typeof key !== 'string') {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        return void res.end(JSON.stringify({ title: 'unexpected request' }));
      }
      if (random() < options.failureRate) {
        failures++;
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/problem+json' });
        return void res.end(JSON.stringify({ title: 'busy' }));
      }
      const seen = filed.has(key);
      if (seen) repeats++;
      else filed.set(key, filed.size + 1);
      const n = filed.get(key) as number;
      res.writeHead(seen ? 200 : 201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ referralId: `mash-${n}`, reference: `MASH-2025-${String(n).padStart(6, '0')}`, status: 'received', receivedAt: new Date().toISOString() }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mash/v1`,
    filed: () => filed.size,
    stats: () => ({ requests, failures, repeats }),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
