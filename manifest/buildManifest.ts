import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { accentColor } from './icons';
import type { TeamsAppConfig } from './teamsAppConfig';

/** The manifest schema we write against; `@microsoft/app-manifest` bundles this version's schema. */
export const manifestVersion = '1.30';
export const manifestSchemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** Pages the service serves under PUBLIC_BASE_URL that the manifest points Teams at. */
export const teamsPaths = {
  myReferralsTab: '/tabs/referrals',
  insightsTab: '/insights',
  privacy: '/privacy',
  terms: '/terms',
} as const;

/** File names inside the app package, as the manifest's `icons` names them. */
export const iconFiles = { color: 'color.png', outline: 'outline.png' } as const;

// Bot Framework's OAuth sign-in pages: Teams opens them from OAuth cards, so they must be valid domains.
const botFrameworkTokenDomain = 'token.botframework.com';

const listing = {
  developer: 'Local Safeguarding Partnership',
  shortName: 'Safeguarding Assistant',
  fullName: 'Safeguarding Assistant for the Local Safeguarding Children Partnership',
  shortDescription: 'Share information, screen for exploitation and refer to the MASH, step by step.',
  fullDescription: [
    'For professionals who work with children and young people in the partnership: teachers, nurses, GPs,',
    'youth workers, police officers and social workers. When something about a child worries you, the',
    "assistant walks you through the government's information-sharing advice to a recorded decision,",
    'screens a concern for exploitation with an explainable risk category, files a validated referral with',
    'the Multi-Agency Safeguarding Hub (MASH) and tells you which advice line is open now. "My referrals"',
    'shows the referrals you have made, their status and the MASH decision. Guidance comes only from the',
    "partnership's published, sourced procedures. It does not replace your designated safeguarding lead.",
    'If a child is in immediate danger, call 999.',
  ].join(' '),
};

/** The commands Teams suggests as a professional types in the personal chat with the bot. */
const personalCommands = [
  { title: 'share', description: 'Should I share this? Information-sharing advice to a recorded decision' },
  { title: 'screen', description: 'Is this exploitation? Screen a concern for a risk category and next steps' },
  { title: 'refer', description: 'Make a referral to the MASH' },
  { title: 'advice', description: 'Who can I call? Advice lines that are open now' },
  { title: 'my referrals', description: 'Your referrals, their status and the MASH decision' },
  { title: 'help', description: 'What I can do; type back or restart at any question' },
];

// In a team (the coordinators' team) the bot answers coordinator commands only, never case details.
const teamCommands = [{ title: 'help', description: "What I can do in the coordinators' team" }];

function bot(config: TeamsAppConfig): TeamsManifestV1D30.Bot {
  return {
    botId: config.botId,
    scopes: ['personal', 'team'],
    isNotificationOnly: false,
    supportsFiles: false,
    supportsCalling: false,
    supportsVideo: false,
    commandLists: [
      { scopes: ['personal'], commands: personalCommands },
      { scopes: ['team'], commands: teamCommands },
    ],
  };
}

/**
 * "Partnership insight" (TEAMS_INSIGHTS_TAB=on): the same page as in a browser. Teams shows a personal tab
 * to everyone who adds the app; the page itself lets only partnership leads and coordinators see figures.
 */
function insightsTab(config: TeamsAppConfig): TeamsManifestV1D30.StaticTab[] {
  const url = `${config.publicBaseUrl}${teamsPaths.insightsTab}`;
  return config.insightsTab
    ? [{ entityId: 'partnershipInsight', name: 'Partnership insight', contentUrl: url, websiteUrl: url, scopes: ['personal'], context: ['personalTab'] }]
    : [];
}

function staticTabs(config: TeamsAppConfig): TeamsManifestV1D30.StaticTab[] {
  const url = `${config.publicBaseUrl}${teamsPaths.myReferralsTab}`;
  return [
    // The reserved "conversations" entity keeps the bot chat as the first tab of the personal app.
    { entityId: 'conversations', scopes: ['personal'] },
    { entityId: 'myReferrals', name: 'My referrals', contentUrl: url, websiteUrl: url, scopes: ['personal'], context: ['personalTab'] },
    ...insightsTab(config),
  ];
}

/** The Teams app manifest for this deployment: bot, "My referrals" (and optionally insight) tab, SSO and store listing. */
export function buildManifest(config: TeamsAppConfig, appVersion: string): TeamsManifest {
  const base = config.publicBaseUrl;
  const { host, hostname } = new URL(base);
  return {
    $schema: manifestSchemaUrl,
    manifestVersion,
    version: appVersion,
    id: config.teamsAppId,
    developer: { name: listing.developer, websiteUrl: base, privacyUrl: `${base}${teamsPaths.privacy}`, termsOfUseUrl: `${base}${teamsPaths.terms}` },
    name: { short: listing.shortName, full: listing.fullName },
    description: { short: listing.shortDescription, full: listing.fullDescription },
    icons: { ...iconFiles },
    accentColor,
    bots: [bot(config)],
    staticTabs: staticTabs(config),
    validDomains: [...new Set([host, botFrameworkTokenDomain])],
    // Tab SSO: Teams asks Entra ID for a token for this resource, which must equal the bot app
    // registration's Application ID URI (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-manifest).
    webApplicationInfo: { id: config.botId, resource: `api://${hostname}/botid-${config.botId}` },
    defaultInstallScope: 'personal',
  };
}
