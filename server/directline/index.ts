export { createDirectLine, type DirectLine, type DirectLineOptions } from './createDirectLine';
export { createTokenSigner, deriveTokenKey, type TokenClaims, type TokenPurpose, type TokenSession, type TokenSigner } from './tokens';
export type { DirectLineErrorCode } from './directLineProblems';
export { newConversationId } from './webChatActivities';
