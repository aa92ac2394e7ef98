import { resolve } from 'node:path';
import type { Config } from './config';

/**
 * The line a person starting the service reads first: where to open it, where its data lives and how to
 * sign in. Names no secret and no Redis credentials (only the host part of REDIS_URL).
 */
export function startBanner(
  config: Pick<Config, 'PORT' | 'HOST' | 'NODE_ENV' | 'PUBLIC_BASE_URL' | 'DATA_DIR' | 'REDIS_URL' | 'WEBCHAT_AUTH'>,
  listeningOn: string | undefined,
): string {
  const host = listeningOn === undefined || listeningOn === '0.0.0.0' || listeningOn === '::' ? 'localhost' : listeningOn;
  const local = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  const url = config.PUBLIC_BASE_URL ?? local;
  const data = config.REDIS_URL
    ? `data in Redis at ${redisHost(config.REDIS_URL)} (encrypted; files such as keys in ${resolve(config.DATA_DIR)})`
    : `data in ${resolve(config.DATA_DIR)} (encrypted files)`;
  const signIn = {
    local: `sign in at ${url}/signin with any name (local sign-in, development only)`,
    oidc: `sign in at ${url}/signin with your organisation's account`,
    off: 'web chat off (WEBCHAT_AUTH=off): Teams only, at /api/messages',
  }[config.WEBCHAT_AUTH];
  return `safeguarding-bot serving ${url} (${config.NODE_ENV}); ${data}; ${signIn}`;
}

function redisHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(REDIS_URL)';
  }
}
