import type { Router } from 'express';
import type { ServiceWords } from '../../flows';
import type { WebSessions } from '../auth';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { NotificationSources, ReferralSources } from './referralRows';
import { createTabRoutes, type QuestionSources } from './tabRoutes';
import { createTeamsSsoVerifier, type TeamsSsoVerifier } from './teamsSso';

/** The audiences a Teams SSO token may carry: the manifest's webApplicationInfo.resource and the app id. */
export function ssoAudiences(config: Pick<Config, 'MicrosoftAppId' | 'PUBLIC_BASE_URL'>): string[] {
  const appId = config.MicrosoftAppId;
  const resource = config.PUBLIC_BASE_URL ? [`api://${new URL(config.PUBLIC_BASE_URL).hostname}/botid-${appId}`] : [];
  return [...resource, appId];
}

/**
 * The Teams SSO check when TEAMS_SSO_TENANT_IDS names a tenant (config requires an app id then), else
 * undefined. Built once per service and shared by every page Teams frames (one JWKS cache).
 */
export function teamsSsoFrom(config: Config): TeamsSsoVerifier | undefined {
  return config.TEAMS_SSO_TENANT_IDS.length
    ? createTeamsSsoVerifier({ jwksUrl: config.TEAMS_SSO_JWKS_URL, tenantIds: config.TEAMS_SSO_TENANT_IDS, audiences: ssoAudiences(config), roleLists: config })
    : undefined;
}

/** The tab's routes, with Teams SSO when `sso` is given (see teamsSsoFrom). */
export function tabMounts({
  sessions,
  words,
  sources,
  notifications,
  questions,
  webChatChannelId,
  sso,
  logger,
  bundleDir,
}: {
  sessions: WebSessions;
  words: ServiceWords;
  sources: ReferralSources;
  notifications?: NotificationSources;
  questions?: QuestionSources;
  webChatChannelId: string;
  sso?: TeamsSsoVerifier;
  logger: Logger;
  /** Where the tab's bundle is (default: dist/tabs beside the compiled server). */
  bundleDir?: string;
}): Array<[string, Router]> {
  return [['/', createTabRoutes({ sessions, words, sources, notifications, questions, webChatChannelId, sso, logger, bundleDir })]];
}
