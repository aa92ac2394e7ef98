import { pageContentSecurityPolicy, tabHeaders } from '../tabs';

/**
 * The insight pages are framable by Microsoft Teams only (so they work as a Teams tab and nowhere else),
 * with the same strict page headers as the "My referrals" tab: no inline script or style (the figures
 * travel as a JSON data block, which is not run), nosniff, no referrer, no-store.
 */
const insightsFrameAncestors = ["'self'", 'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft', 'https://*.office.com'];

export const insightsContentSecurityPolicy = pageContentSecurityPolicy(insightsFrameAncestors);

export const insightsHeaders = tabHeaders(insightsFrameAncestors);
