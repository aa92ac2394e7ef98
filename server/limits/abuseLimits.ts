import type { Config } from '../config';

/** The abuse limits the HTTP surface applies, read from configuration (see README, "Abuse limits"). */
export interface AbuseLimits {
  ipPerMinute: number;
  conversationPerMinute: number;
  signInPerMinute: number;
  maxMessageChars: number;
}

export function abuseLimitsFrom(config: Config): AbuseLimits {
  return {
    ipPerMinute: config.RATE_LIMIT_IP_PER_MINUTE,
    conversationPerMinute: config.RATE_LIMIT_CONVERSATION_PER_MINUTE,
    signInPerMinute: config.RATE_LIMIT_SIGNIN_PER_MINUTE,
    maxMessageChars: config.MESSAGE_MAX_CHARS,
  };
}
