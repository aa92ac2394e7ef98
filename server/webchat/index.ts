export { createWebChatRoutes, type WebChatRoutesOptions } from './createWebChatRoutes';
export { deriveSessionKey } from './session';
export { contentSecurityPolicy } from './securityHeaders';
