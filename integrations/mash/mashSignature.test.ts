import { createHmac } from 'node:crypto';
import { signMashEvent, verifyMashSignature } from './mashSignature';
import { parseMashEvent } from '../../flows';

const secret = 'test-webhook-secret';
const nowMs = Date.parse('2025-06-15T10:00:00Z');
const nowSeconds = String(nowMs / 1000);
const body = JSON.stringify({
  eventId: 'evt-1',
  occurredAt: '2025-06-15T09:59:58Z',
  type: 'referral.decision',
  referralId: 'mash-1',
  reference: 'MASH-2025-000001',
  clientReference: 'ref-0123456789abcdef',
  decision: { outcome: 'early-help' },
});

describe('verifyMashSignature', () => {
  it('accepts a good signature over timestamp "." raw body', () => {
    expect(verifyMashSignature(body, nowSeconds, signMashEvent(body, nowSeconds, secret), secret, nowMs)).toEqual({ ok: true });
    expect(verifyMashSignature(Buffer.from(body), nowSeconds, signMashEvent(body, nowSeconds, secret), secret, nowMs)).toEqual({ ok: true });
  });

  it('signs HMAC-SHA256(secret, timestamp + "." + body) as sha256=<hex>', () => {
    expect(signMashEvent('{}', '1', 'k')).toBe(`sha256=${createHmac('sha256', 'k').update('1.{}').digest('hex')}`);
  });

  it.each([
    ['a changed body', body.replace('early-help', 'nfa'), nowSeconds, signMashEvent(body, nowSeconds, secret), 'bad-signature'],
    ['another secret', body, nowSeconds, signMashEvent(body, nowSeconds, 'other-secret'), 'bad-signature'],
    ['a signature for another timestamp', body, nowSeconds, signMashEvent(body, String(nowMs / 1000 - 1), secret), 'bad-signature'],
    ['a truncated signature', body, nowSeconds, signMashEvent(body, nowSeconds, secret).slice(0, 40), 'bad-signature'],
    ['no signature', body, nowSeconds, undefined, 'missing'],
    ['no timestamp', body, undefined, 'sha256=00', 'missing'],
    ['a timestamp that is not unix seconds', body, '2025-06-15T10:00:00Z', 'sha256=00', 'bad-timestamp'],
  ])('rejects %s', (_name, raw, timestamp, signature, reason) => {
    expect(verifyMashSignature(raw, timestamp, signature, secret, nowMs)).toEqual({ ok: false, reason });
  });

  it('accepts up to 5 minutes of skew either way and rejects beyond', () => {
    const at = (offsetSeconds: number) => String(nowMs / 1000 + offsetSeconds);
    const check = (offset: number) => verifyMashSignature(body, at(offset), signMashEvent(body, at(offset), secret), secret, nowMs);
    expect(check(-300)).toEqual({ ok: true });
    expect(check(300)).toEqual({ ok: true });
    expect(check(-301)).toEqual({ ok: false, reason: 'stale' });
    expect(check(301)).toEqual({ ok: false, reason: 'future' });
  });

  it('rejects when no secret is configured, even with a signature made with an empty secret', () => {
    expect(verifyMashSignature(body, nowSeconds, signMashEvent(body, nowSeconds, ''), '', nowMs)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('parseMashEvent', () => {
  it('parses a decision event', () => {
    const parsed = parseMashEvent(body);
    expect(parsed.ok && parsed.event.type === 'referral.decision' && parsed.event.decision.outcome).toBe('early-help');
  });

  it('requires the question of an info-requested event and names what is wrong', () => {
    const parsed = parseMashEvent(JSON.stringify({ ...JSON.parse(body), type: 'referral.info-requested', decision: undefined }));
    expect(parsed).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'question' })] });
  });

  it('rejects a body that is not JSON', () => {
    expect(parseMashEvent('not json')).toEqual({ ok: false, errors: [{ path: '(body)', message: 'is not JSON' }] });
  });
});
