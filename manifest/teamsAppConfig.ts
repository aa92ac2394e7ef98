import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../flows';

const guid = (what: string) =>
  z.guid({
    error: (issue) => (issue.input === undefined ? `is required: ${what} (a GUID)` : `must be a GUID (${what})`),
  });

const publicBaseUrl = z
  .url({
    protocol: /^https$/,
    error: (issue) =>
      issue.input === undefined
        ? 'is required: the https:// address Teams reaches this service at (e.g. https://bot.example.org)'
        : 'must be an https:// URL (Teams loads tabs and SSO only over https)',
  })
  // zod runs this even when the URL check above failed, so it must not assume a parsable URL.
  .refine(
    (value) => {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      return !url || (!url.search && !url.hash && !url.username && !url.password);
    },
    { message: 'must be a plain https:// base address, without query, fragment or credentials' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/** What packaging the Teams app reads from the environment (botbuilder's name for the bot id). */
export const teamsAppConfigSchema = z.object({
  MicrosoftAppId: guid("the bot's Microsoft App ID from its Azure Bot registration"),
  PUBLIC_BASE_URL: publicBaseUrl,
  TEAMS_APP_ID: guid('the Teams app id').optional(),
  // Off by default: a personal tab shows for everyone who adds the app, and most of them lack the role.
  TEAMS_INSIGHTS_TAB: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
});

/** Packaging settings once parsed: every id a GUID, the base URL without a trailing slash. */
export interface TeamsAppConfig {
  botId: string;
  teamsAppId: string;
  publicBaseUrl: string;
  /** TEAMS_INSIGHTS_TAB=on: a personal "Partnership insight" tab at /insights (see manifest/README.md). */
  insightsTab: boolean;
}

// A fixed namespace for deriving the Teams app id from the bot id (RFC 9562 §5.5, name-based SHA-1).
const teamsAppIdNamespace = '6f1c2a4e-3b7d-4c59-9a2e-5d8b0e7f1c34';

/** The RFC 9562 version 5 UUID of `name` in `namespace`: the same inputs always give the same id. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Treats `VAR=` like an unset variable, as `server/config.ts` does. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = Object.keys(teamsAppConfigSchema.shape);
  return Object.fromEntries(keys.flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
}

/**
 * Reads the packaging settings. A bad or missing value throws one line naming the variable; an unset
 * TEAMS_APP_ID is derived from the bot id (stable, so re-packaging updates the same app) with a warning.
 */
export function loadTeamsAppConfig(env: NodeJS.ProcessEnv): { config: TeamsAppConfig; warnings: string[] } {
  const parsed = teamsAppConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more = rest.length ? ` (and ${rest.length} more: ${rest.map((i) => i.path.join('.')).join(', ')})` : '';
    throw new DomainError('SG-CONFIG-INVALID', `${first.path.join('.')} ${first.message}${more}`, {
      cause: new Error(z.prettifyError(parsed.error)),
    });
  }
  const { MicrosoftAppId, PUBLIC_BASE_URL, TEAMS_APP_ID, TEAMS_INSIGHTS_TAB } = parsed.data;
  // The bot id is kept as written: the SSO resource (api://host/botid-<id>) must match Entra ID exactly.
  const botId = MicrosoftAppId;
  const teamsAppId = TEAMS_APP_ID ?? uuidV5(teamsAppIdNamespace, botId.toLowerCase());
  const warnings = TEAMS_APP_ID
    ? []
    : [`TEAMS_APP_ID is unset: using ${teamsAppId}, derived from MicrosoftAppId; set TEAMS_APP_ID to keep the app's identity if the bot is ever re-registered`];
  return { config: { botId, teamsAppId, publicBaseUrl: PUBLIC_BASE_URL, insightsTab: TEAMS_INSIGHTS_TAB === 'on' }, warnings };
}
