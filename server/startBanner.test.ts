import { resolve } from 'node:path';
import { startBanner } from './startBanner';

const base = {
  PORT: 3978,
  HOST: undefined,
  NODE_ENV: 'development' as const,
  PUBLIC_BASE_URL: undefined,
  DATA_DIR: './data',
  REDIS_URL: undefined,
  WEBCHAT_AUTH: 'local' as const,
};

describe('the start banner', () => {
  it('tells a newcomer the URL to open, where the data lives and how to sign in', () => {
    expect(startBanner(base, '127.0.0.1')).toBe(
      `safeguarding-bot serving http://127.0.0.1:3978 (development); data in ${resolve('./data')} (encrypted files); sign in at http://127.0.0.1:3978/signin with any name (local sign-in, development only)`,
    );
  });

  it('names the public origin, the Redis host without its password, and the organisation sign-in in production', () => {
    const banner = startBanner(
      { ...base, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://bot.example.org', REDIS_URL: 'rediss://:s3cret-password@redis.internal:6380/0', WEBCHAT_AUTH: 'oidc' },
      undefined,
    );
    expect(banner).toContain('serving https://bot.example.org (production)');
    expect(banner).toContain('data in Redis at redis.internal:6380');
    expect(banner).toContain('https://bot.example.org/signin with your organisation');
    expect(banner).not.toContain('s3cret');
  });

  it('says when the web chat is off', () => {
    expect(startBanner({ ...base, WEBCHAT_AUTH: 'off' }, '0.0.0.0')).toMatch(/serving http:\/\/localhost:3978 .*Teams only/);
  });
});
