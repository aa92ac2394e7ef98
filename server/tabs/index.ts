export { createTabRoutes, type TabRoutesOptions } from './tabRoutes';
export { createTeamsSsoVerifier, type TeamsSsoSettings, type TeamsSsoVerifier, type SsoResult } from './teamsSso';
export { tabHeaders, teamsFrameAncestors, pageContentSecurityPolicy } from './tabHeaders';
export { notificationsFor, referralRowsFor, type NotificationSources, type ReferralRow, type ReferralSources } from './referralRows';
export { tabMounts, teamsSsoFrom } from './tabMounts';
export { bearerOf, createSsoRequests, type RequestUser, type SsoRequests, type SsoRequestsOptions } from './ssoRequests';
