import { createTokenProvider, refreshAtMs } from './mashAuth';

const oauth = { kind: 'oauth2', tokenUrl: 'https://login.example/token', clientId: 'bot', clientSecret: 's3cret', scope: 'mash.intake' } as const;

function fakeTokenEndpoint(answers: Array<{ status: number; body: unknown }>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: typeof url === 'string' ? url : url instanceof URL ? url.href : url.url, init: init ?? {} });
    const next = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchFn, requests };
}

describe('OAuth2 client-credentials tokens', () => {
  it('posts a form with grant_type=client_credentials, the client and the scope', async () => {
    const { fetchFn, requests } = fakeTokenEndpoint([{ status: 200, body: { access_token: 't1', token_type: 'Bearer', expires_in: 3600 } }]);
    const tokens = createTokenProvider(oauth, { fetch: fetchFn, timeoutMs: 1000, now: () => 0 });
    expect(await tokens.token()).toEqual({ ok: true, token: 't1' });
    expect(requests[0].url).toBe(oauth.tokenUrl);
    expect(new Headers(requests[0].init.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(requests[0].init.body as string))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'bot',
      client_secret: 's3cret',
      scope: 'mash.intake',
    });
  });

  it('caches a token until shortly before it expires, then fetches another', async () => {
    let now = 0;
    const { fetchFn, requests } = fakeTokenEndpoint([
      { status: 200, body: { access_token: 't1', token_type: 'bearer', expires_in: '600' } },
      { status: 200, body: { access_token: 't2', token_type: 'Bearer', expires_in: 600 } },
    ]);
    const tokens = createTokenProvider(oauth, { fetch: fetchFn, timeoutMs: 1000, now: () => now });
    expect(await tokens.token()).toEqual({ ok: true, token: 't1' });
    now = refreshAtMs(0, 600) - 1;
    expect(await tokens.token()).toEqual({ ok: true, token: 't1' });
    now = refreshAtMs(0, 600);
    expect(await tokens.token()).toEqual({ ok: true, token: 't2' });
    expect(requests).toHaveLength(2);
    expect(refreshAtMs(0, 600)).toBe(540_000); // a minute early for a ten-minute token
  });

  it('shares one token request between callers who need a token at the same moment', async () => {
    const { fetchFn, requests } = fakeTokenEndpoint([{ status: 200, body: { access_token: 't1', token_type: 'Bearer', expires_in: 3600 } }]);
    const tokens = createTokenProvider(oauth, { fetch: fetchFn, timeoutMs: 1000, now: () => 0 });
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(all.every((t) => t.ok && t.token === 't1')).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('forgets a token that got a 401, once, so the next call fetches a new one', async () => {
    const { fetchFn, requests } = fakeTokenEndpoint([
      { status: 200, body: { access_token: 't1', token_type: 'Bearer', expires_in: 3600 } },
      { status: 200, body: { access_token: 't2', token_type: 'Bearer', expires_in: 3600 } },
    ]);
    const tokens = createTokenProvider(oauth, { fetch: fetchFn, timeoutMs: 1000, now: () => 0 });
    await tokens.token();
    expect(tokens.invalidate('t1')).toBe(true);
    expect(await tokens.token()).toEqual({ ok: true, token: 't2' });
    tokens.invalidate('t1'); // a late 401 for the old token does not throw away the new one
    expect(await tokens.token()).toEqual({ ok: true, token: 't2' });
    expect(requests).toHaveLength(2);
  });

  it('reports a token endpoint that refuses as retryable, without the secret', async () => {
    const { fetchFn } = fakeTokenEndpoint([{ status: 401, body: { error: 'invalid_client' } }]);
    const tokens = createTokenProvider(oauth, { fetch: fetchFn, timeoutMs: 1000, now: () => 0 });
    const result = await tokens.token();
    expect(result).toEqual({ ok: false, outcome: { kind: 'retryable', status: 401, reason: 'the MASH token endpoint answered 401 without a usable token' } });
  });
});

describe('static token', () => {
  it('always gives MASH_API_TOKEN and cannot be refreshed', async () => {
    const tokens = createTokenProvider({ kind: 'static', token: 'fixed' }, { fetch, timeoutMs: 1000, now: Date.now });
    expect(await tokens.token()).toEqual({ ok: true, token: 'fixed' });
    expect(tokens.invalidate('fixed')).toBe(false);
  });
});
