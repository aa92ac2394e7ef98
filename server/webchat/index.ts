export { createWebChatRoutes, type WebChatRoutesOptions } from './createWebChatRoutes';
export { deriveSessionKey } from '../auth/session';
export { contentSecurityPolicy, pageSecurityHeaders, appSecurityHeaders, teamsFrameAncestors } from './securityHeaders';
export { createOidcSignIn, type OidcSettings } from './oidcSignIn';
export { webChatMounts } from './webChatMounts';
export { identityFromClaims } from './oidcClaims';
export { accessibilityFooter, accessibilityPage, escapeHtml, forbiddenPage, notFoundPage, wordsElement } from './pages';
