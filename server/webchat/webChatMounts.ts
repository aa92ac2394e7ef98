import type { Router } from 'express';
import type { ServiceWords } from '../../flows';
import type { WebSessions } from '../auth';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createWebChatRoutes, type WebChatRoutesOptions } from './createWebChatRoutes';
import { createOidcSignIn } from './oidcSignIn';

export interface WebChatMountOptions {
  config: Config;
  sessions: WebSessions;
  /** The state key: the OIDC attempt cookie is signed with a key derived from it. */
  pendingKey: Buffer;
  issueToken: WebChatRoutesOptions['issueToken'];
  conversations: WebChatRoutesOptions['conversations'];
  partnershipName: string;
  /** The pack's words for the pages. */
  words: ServiceWords;
  logger: Logger;
  /** Where the Web Chat bundle is (default: dist/webchat beside the compiled server). */
  bundleDir?: string;
}

/**
 * The web chat with the sign-in WEBCHAT_AUTH asks for. Local sign-in lets anyone claim any identity, so
 * in production it is refused: the web chat is then off (Teams still works) and the log says why.
 */
export function webChatMounts({
  config,
  sessions,
  pendingKey,
  issueToken,
  conversations,
  partnershipName,
  words,
  logger,
  bundleDir,
}: WebChatMountOptions): Array<[string, Router]> {
  if (config.WEBCHAT_AUTH === 'off') {
    logger.info('web chat is off (WEBCHAT_AUTH=off): Teams only');
    return [];
  }
  const oidc = config.WEBCHAT_AUTH === 'oidc';
  if (!oidc && config.NODE_ENV === 'production') {
    logger.warn('web chat is off: local sign-in is not allowed in production (set WEBCHAT_AUTH=oidc and the OIDC_* settings)');
    return [];
  }
  const keptHours = config.RETENTION_CONVERSATION_HOURS ?? config.CONVERSATION_TTL_HOURS;
  const routes = createWebChatRoutes({ issueToken, conversations, keptHours, logger, partnershipName, words, sessions, localSignIn: !oidc, bundleDir });
  if (!oidc) return [['/', routes]];
  const signIn = createOidcSignIn({
    settings: {
      issuer: config.OIDC_ISSUER!,
      clientId: config.OIDC_CLIENT_ID!,
      clientSecret: config.OIDC_CLIENT_SECRET!,
      redirectUrl: config.OIDC_REDIRECT_URL!,
      scopes: config.OIDC_SCOPES,
    },
    sessions,
    roleLists: config,
    key: pendingKey,
    secure: config.PUBLIC_BASE_URL?.startsWith('https:') ?? false,
    partnershipName,
    words,
    logger,
  });
  return [
    ['/', signIn],
    ['/', routes],
  ];
}
