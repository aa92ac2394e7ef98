import { loadTeamsAppConfig, uuidV5 } from './teamsAppConfig';

const botId = '00000000-0000-0000-0000-000000000001';
const base = 'https://bot.example.org';

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadTeamsAppConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected loadTeamsAppConfig to throw');
}

describe('loadTeamsAppConfig', () => {
  it('reads the bot id and base URL, dropping a trailing slash', () => {
    const { config } = loadTeamsAppConfig({ MicrosoftAppId: botId, PUBLIC_BASE_URL: `${base}/sg/`, TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555' });
    expect(config).toEqual({ botId, publicBaseUrl: `${base}/sg`, teamsAppId: '11111111-2222-3333-4444-555555555555', insightsTab: false });
  });

  it('adds the insight tab only with TEAMS_INSIGHTS_TAB=on (off when unset or empty)', () => {
    const env = { MicrosoftAppId: botId, PUBLIC_BASE_URL: base };
    expect(loadTeamsAppConfig({ ...env, TEAMS_INSIGHTS_TAB: 'on' }).config.insightsTab).toBe(true);
    expect(loadTeamsAppConfig({ ...env, TEAMS_INSIGHTS_TAB: 'off' }).config.insightsTab).toBe(false);
    expect(loadTeamsAppConfig({ ...env, TEAMS_INSIGHTS_TAB: '' }).config.insightsTab).toBe(false);
    expect(loadTeamsAppConfig(env).config.insightsTab).toBe(false);
  });

  it.each([
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL is required/],
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId, PUBLIC_BASE_URL: '' }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL is required/],
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId, PUBLIC_BASE_URL: 'http://bot.example.org' }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL must be an https:\/\/ URL/],
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId, PUBLIC_BASE_URL: `${base}/?x=1` }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL must be a plain https:\/\/ base address/],
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId, PUBLIC_BASE_URL: 'bot.example.org' }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL must be an https:\/\/ URL/],
    ['PUBLIC_BASE_URL', { MicrosoftAppId: botId, PUBLIC_BASE_URL: 'https://' }, /^SG-CONFIG-INVALID: PUBLIC_BASE_URL must be an https:\/\/ URL/],
    ['MicrosoftAppId', { PUBLIC_BASE_URL: base }, /^SG-CONFIG-INVALID: MicrosoftAppId is required/],
    ['MicrosoftAppId', { PUBLIC_BASE_URL: base, MicrosoftAppId: 'my-bot' }, /^SG-CONFIG-INVALID: MicrosoftAppId must be a GUID/],
    ['TEAMS_APP_ID', { PUBLIC_BASE_URL: base, MicrosoftAppId: botId, TEAMS_APP_ID: 'x' }, /^SG-CONFIG-INVALID: TEAMS_APP_ID must be a GUID/],
    ['TEAMS_INSIGHTS_TAB', { PUBLIC_BASE_URL: base, MicrosoftAppId: botId, TEAMS_INSIGHTS_TAB: 'yes' }, /^SG-CONFIG-INVALID: TEAMS_INSIGHTS_TAB must be on or off$/],
  ])('refuses a missing or bad %s in one line naming it', (_name, env, expected) => {
    const message = errorOf(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('names every bad variable when several are wrong, without echoing values', () => {
    const message = errorOf({ MicrosoftAppId: 'secret-looking-value' });
    expect(message).toBe("SG-CONFIG-INVALID: MicrosoftAppId must be a GUID (the bot's Microsoft App ID from its Azure Bot registration) (and 1 more: PUBLIC_BASE_URL)");
  });

  it('derives a stable Teams app id from the bot id when TEAMS_APP_ID is unset, with a warning', () => {
    const first = loadTeamsAppConfig({ MicrosoftAppId: botId, PUBLIC_BASE_URL: base });
    const again = loadTeamsAppConfig({ MicrosoftAppId: botId.toUpperCase(), PUBLIC_BASE_URL: base });
    const other = loadTeamsAppConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000002', PUBLIC_BASE_URL: base });
    expect(first.config.teamsAppId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.config.teamsAppId).toBe(first.config.teamsAppId);
    expect(other.config.teamsAppId).not.toBe(first.config.teamsAppId);
    expect(first.config.teamsAppId).not.toBe(botId);
    expect(first.warnings).toEqual([expect.stringContaining(`TEAMS_APP_ID is unset: using ${first.config.teamsAppId}`)]);
  });

  it('gives no warning when TEAMS_APP_ID is set', () => {
    const { warnings } = loadTeamsAppConfig({ MicrosoftAppId: botId, PUBLIC_BASE_URL: base, TEAMS_APP_ID: botId });
    expect(warnings).toEqual([]);
  });
});

describe('uuidV5', () => {
  it('matches the RFC 9562 appendix A.4 example', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
