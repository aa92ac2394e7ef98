import { createHmac, randomBytes } from 'node:crypto';
import { createSessionCodec } from './session';

/** Pen test M2: the session cookie carries its id and sign-in time, and no cookie outlives SESSION_MAX_HOURS. */
describe('session cookie', () => {
  const key = randomBytes(32);
  const hour = 3600_000;
  const user = { id: 'local-0123456789abcdef01234567', name: 'Test Teacher' };

  it('carries a fresh session id and the sign-in time on every sign-in', () => {
    let clock = Date.parse('2026-12-04T09:00:00Z');
    const codec = createSessionCodec({ key, now: () => clock });
    const first = codec.seal(user);
    const second = codec.seal(user);
    expect(first.session.sid).not.toBe(second.session.sid);
    expect(codec.open(first.value)).toEqual({ user, sid: first.session.sid, authTime: clock });
    clock += hour;
    expect(codec.open(first.value)?.authTime).toBe(clock - hour);
  });

  it('is refused after the maximum age since sign-in, even if its own lifetime is longer', () => {
    let clock = Date.parse('2026-12-04T09:00:00Z');
    const codec = createSessionCodec({ key, lifetimeMs: 24 * hour, maxAgeMs: 12 * hour, now: () => clock });
    const { value } = codec.seal(user);
    expect(codec.maxAgeSeconds).toBe(12 * 3600);
    clock += 12 * hour - 1000;
    expect(codec.open(value)).toBeDefined();
    clock += 1000;
    expect(codec.open(value)).toBeUndefined();
  });

  it('refuses a cookie of the earlier shape (no session id), so every live session is revocable', () => {
    const codec = createSessionCodec({ key });
    const body = Buffer.from(JSON.stringify({ user, exp: Date.now() + hour })).toString('base64url');
    const old = `${body}.${createHmac('sha256', key).update(`session.${body}`).digest('base64url')}`;
    expect(codec.open(old)).toBeUndefined();
  });
});
