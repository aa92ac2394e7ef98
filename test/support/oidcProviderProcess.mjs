// A real OpenID Connect provider (the `oidc-provider` package) on loopback, for the OIDC sign-in tests.
// ESM only, so it runs in its own process: `node oidcProviderProcess.mjs <port> <redirect_uri>`; prints "ready <issuer>".
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://localhost:${port}`;

// Synthetic accounts only. The login name typed on the provider's page is the account id.
const accounts = {
  'test-teacher': {
    sub: 'test-teacher',
    name: 'Test Teacher',
    email: 'test.teacher@example.org',
    job_title: 'Designated safeguarding lead',
    organization: 'Test School',
    phone_number: '01632 960123',
    groups: ['staff'],
  },
  'test-coordinator': {
    sub: 'test-coordinator',
    name: 'Test Coordinator',
    email: 'test.coordinator@example.org',
    job_title: 'CSE coordinator',
    organization: 'Test Council',
    groups: ['staff', 'cse-coordinators'],
  },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'safeguarding-bot-test',
      client_secret: 'test-oidc-client-secret-0123456789',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  // Every client must use PKCE here, so a relying party that forgets it fails the test.
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email'], phone: ['phone_number'], profile: ['name', 'job_title', 'organization', 'groups'] },
  findAccount: (_ctx, id) => (accounts[id] ? { accountId: id, claims: () => accounts[id] } : undefined),
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  features: { devInteractions: { enabled: true } },
});
provider.listen(Number(port), () => process.stdout.write(`ready ${issuer}\n`));
