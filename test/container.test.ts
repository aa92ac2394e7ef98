import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The image cannot be built or pulled on the CI machine (issue 22 item 4): these checks read the files the
// partnership's pipeline builds from, so a change that would run the service as root, drop the health check
// or lose DATA_DIR fails here rather than in production.
const root = join(__dirname, '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
/** Instructions of the last stage (the runtime image), continuation lines joined. */
const runtimeStage = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split(/^FROM /m)
  .at(-1)!
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'));

interface ComposeService {
  image?: string;
  build?: unknown;
  read_only?: boolean;
  environment?: Record<string, string>;
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

describe('Dockerfile', () => {
  it('is multi-stage and runs the service as the unprivileged node user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const users = runtimeStage.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    expect(runtimeStage.findIndex((line) => line.startsWith('USER '))).toBeLessThan(runtimeStage.findIndex((line) => line.startsWith('CMD ')));
  });

  it('has a health check on /healthz and keeps DATA_DIR on a volume', () => {
    expect(runtimeStage.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/healthz/);
    expect(runtimeStage.find((line) => line.startsWith('VOLUME '))).toContain('/data');
    expect(runtimeStage.join('\n')).toMatch(/DATA_DIR=\/data/);
    expect(runtimeStage.join('\n')).toMatch(/NODE_ENV=production/);
  });
});

describe('compose.yaml', () => {
  const apps = ['app1', 'app2'].map((name) => compose.services[name]);

  it('runs two production instances with a read-only root filesystem on one Redis with AOF', () => {
    for (const app of apps) {
      expect(app.read_only).toBe(true);
      expect(app.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', TRUST_PROXY: '1', DATA_DIR: '/data', REDIS_URL: 'redis://redis:6379/0' });
      expect(app.environment?.PUBLIC_BASE_URL).toMatch(/^\$\{PUBLIC_BASE_URL:\?/);
      expect(app.environment?.REFERRALS).toBe('${REFERRALS:-phone}');
      expect(app.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
    }
    const redis = compose.services.redis;
    expect(redis.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(redis.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
  });

  it('puts a TLS proxy in front of both instances and writes the Redis marker before they start', () => {
    const caddyfile = readFileSync(join(root, 'deploy', 'Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/reverse_proxy app1:3978 app2:3978/);
    expect(compose.services.proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(compose.services['redis-init'].command).toEqual(['node', 'dist/server/cli/redisInit.js']);
    for (const app of apps) expect(app.depends_on).toEqual({ 'redis-init': { condition: 'service_completed_successfully' } });
  });
});
