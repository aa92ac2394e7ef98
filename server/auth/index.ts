export { createWebSessions, safeReturnTo, signInPath, type WebSessions, type WebSessionsOptions } from './webSessions';
export { grantRoles, type RoleLists } from './grantRoles';
export { fileSessionRevocations, memorySessionRevocations, redisSessionRevocations, revocationCheck, type SessionRevocations } from './sessionRevocations';
