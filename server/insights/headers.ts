import { pageContentSecurityPolicy, tabHeaders, teamsFrameAncestors } from '../tabs';

/**
 * The insight pages are a Teams tab too, so they are framable by exactly the Teams hosts the "My referrals"
 * tab lists (web, desktop, Outlook, the Microsoft 365 app) and nobody else, with the same strict page
 * headers: no inline script or style, nosniff, no referrer, no-store.
 */
export const insightsContentSecurityPolicy = pageContentSecurityPolicy(teamsFrameAncestors);

export const insightsHeaders = tabHeaders(teamsFrameAncestors);
