import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildManifest, manifestSchemaUrl, manifestVersion } from './buildManifest';
import { loadTeamsAppConfig } from './teamsAppConfig';
import { bundledSchemaPath, validateManifest } from './validateManifest';

// @microsoft/app-manifest requires strip-bom 5, which is ESM only: Node 20.19+ loads it (require(esm)) but
// jest's module registry cannot before Node 24.9. The library uses it only to read manifest files.
jest.mock('@microsoft/app-manifest/node_modules/strip-bom', () => (text: string) => text.replace(/^\uFEFF/, ''));

const botId = '00000000-0000-0000-0000-000000000001';
const teamsAppId = '11111111-2222-3333-4444-555555555555';

function built(env: NodeJS.ProcessEnv = {}, version = '1.2.3') {
  const { config } = loadTeamsAppConfig({ MicrosoftAppId: botId, PUBLIC_BASE_URL: 'https://bot.example.org', TEAMS_APP_ID: teamsAppId, ...env });
  return buildManifest(config, version);
}

describe('buildManifest', () => {
  it('writes against the newest Teams schema that @microsoft/app-manifest bundles', () => {
    // Issue 22: a security review asks for current components, so a library update that brings a newer
    // schema fails here until the manifest moves up to it (dev previews are not releasable).
    const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
    const bundled = readdirSync(join(packageDir, 'build', 'json-schemas', 'teams'))
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .map((name) => name.slice(1).split('.').map(Number));
    const [newestMajor, newestMinor] = bundled.sort(([a1, a2], [b1, b2]) => b1 - a1 || b2 - a2)[0];
    expect(manifestVersion).toBe(`${newestMajor}.${newestMinor}`);
    expect(built().manifestVersion).toBe(manifestVersion);
    expect(built().$schema).toBe(manifestSchemaUrl);
    expect(bundledSchemaPath(manifestSchemaUrl)).toMatch(/json-schemas[/\\]teams[/\\]v1\.\d+[/\\]MicrosoftTeams\.schema\.json$/);
  });

  it('passes the bundled schema', async () => {
    await expect(validateManifest(built())).resolves.toEqual([]);
  });

  it('declares the bot in personal and team scope with its commands', () => {
    const [bot] = built().bots ?? [];
    expect(bot.botId).toBe(botId);
    expect(bot.scopes).toEqual(['personal', 'team']);
    const personal = bot.commandLists?.find((list) => list.scopes.includes('personal'));
    expect(personal?.commands.map((c) => c.title)).toEqual(['share', 'screen', 'refer', 'advice', 'my referrals', 'help']);
    // v1.30 makes the description optional; Teams shows it under each command, so we always write one.
    for (const command of personal?.commands ?? []) expect(command.description?.length).toEqual(expect.any(Number));
    for (const command of personal?.commands ?? []) expect(command.description?.length ?? 0).toBeLessThanOrEqual(128);
  });

  it('pins a personal "My referrals" tab under PUBLIC_BASE_URL, keeping a base path', () => {
    const tab = built({ PUBLIC_BASE_URL: 'https://apps.example.org/safeguarding/' }).staticTabs?.find((t) => t.name === 'My referrals');
    expect(tab).toMatchObject({ contentUrl: 'https://apps.example.org/safeguarding/tabs/referrals', scopes: ['personal'] });
  });

  it('has no insight tab by default (TEAMS_INSIGHTS_TAB unset)', () => {
    expect(built().staticTabs?.map((t) => t.entityId)).toEqual(['conversations', 'myReferrals']);
  });

  it('with TEAMS_INSIGHTS_TAB=on pins a personal "Partnership insight" tab at /insights, and still passes the schema', async () => {
    const manifest = built({ TEAMS_INSIGHTS_TAB: 'on', PUBLIC_BASE_URL: 'https://apps.example.org/safeguarding/' });
    expect(manifest.staticTabs?.map((t) => t.entityId)).toEqual(['conversations', 'myReferrals', 'partnershipInsight']);
    expect(manifest.staticTabs?.[2]).toEqual({
      entityId: 'partnershipInsight',
      name: 'Partnership insight',
      scopes: ['personal'],
      context: ['personalTab'],
      contentUrl: 'https://apps.example.org/safeguarding/insights',
      websiteUrl: 'https://apps.example.org/safeguarding/insights',
    });
    // The page is served from PUBLIC_BASE_URL's host, which is a valid domain already.
    expect(manifest.validDomains).toContain('apps.example.org');
    await expect(validateManifest(manifest)).resolves.toEqual([]);
  });

  it('sets valid domains, SSO, identity and listing from config', () => {
    const manifest = built();
    expect(manifest).toMatchObject({
      id: teamsAppId,
      version: '1.2.3',
      validDomains: ['bot.example.org', 'token.botframework.com'],
      webApplicationInfo: { id: botId, resource: `api://bot.example.org/botid-${botId}` },
      developer: { privacyUrl: 'https://bot.example.org/privacy', termsOfUseUrl: 'https://bot.example.org/terms' },
      icons: { color: 'color.png', outline: 'outline.png' },
    });
    expect(manifest.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    expect(manifest.description.full).toMatch(/professionals/);
  });
});

describe('validateManifest', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('never touches the network: the $schema URL maps to the bundled copy', async () => {
    const fetch = jest.fn(() => Promise.reject(new Error('network is off in this test')));
    globalThis.fetch = fetch;
    await expect(validateManifest(built())).resolves.toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('lists the schema errors of a broken manifest (no bot id, bad manifest version, bad version)', async () => {
    const manifest: Record<string, unknown> = { ...built(), manifestVersion: '1.99', version: 'one' };
    manifest.bots = [{ scopes: ['personal'] }];
    const problems = await validateManifest(manifest);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/bots\/0 must have required property 'botId'/),
        expect.stringMatching(/^\/manifestVersion must be equal to constant/),
        expect.stringMatching(/^\/version must be MAJOR\.MINOR\.PATCH/),
      ]),
    );
  });

  it('refuses a $schema it has no bundled copy of rather than fetching it', async () => {
    await expect(validateManifest({ ...built(), $schema: 'https://example.org/schema.json' })).rejects.toThrow(/SG-CONFIG-INVALID: manifest \$schema/);
    expect(bundledSchemaPath('https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json')).toBeUndefined();
  });
});
