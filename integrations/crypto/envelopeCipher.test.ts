import { randomBytes } from 'node:crypto';
import { createEnvelopeCipher, encryptionKey } from './envelopeCipher';

const keyA = encryptionKey(randomBytes(32));
const keyB = encryptionKey(randomBytes(32));

describe('AES-256-GCM envelopes', () => {
  it('round-trips and hides the plaintext', () => {
    const cipher = createEnvelopeCipher([keyA]);
    const envelope = cipher.encrypt('Test Child, NHS 9434765919', 'conversation:abc');
    expect(envelope).not.toMatch(/Test Child|9434765919/);
    expect(envelope.split('.')[1]).toBe(keyA.id);
    expect(cipher.decrypt(envelope, 'conversation:abc')).toBe('Test Child, NHS 9434765919');
  });

  it('uses a fresh IV every time', () => {
    const cipher = createEnvelopeCipher([keyA]);
    expect(cipher.encrypt('same', 'c')).not.toBe(cipher.encrypt('same', 'c'));
  });

  it('never repeats an IV, across the refills of its pool, and every envelope still opens', () => {
    const cipher = createEnvelopeCipher([keyA]);
    const envelopes = Array.from({ length: 1000 }, (_, i) => cipher.encrypt(`record ${i}`, 'c'));
    const ivs = envelopes.map((e) => e.split('.')[2]);
    expect(ivs.every((iv) => Buffer.from(iv, 'base64url').length === 12)).toBe(true);
    expect(new Set(ivs).size).toBe(envelopes.length);
    expect(envelopes.map((e) => cipher.decrypt(e, 'c'))).toEqual(envelopes.map((_, i) => `record ${i}`));
  });

  it('refuses tampered data, another record context, and an unknown key', () => {
    const cipher = createEnvelopeCipher([keyA]);
    const envelope = cipher.encrypt('hello', 'conversation:abc');
    const parts = envelope.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 4), body.toString('base64url')].join('.');
    expect(() => cipher.decrypt(tampered, 'conversation:abc')).toThrow(/SG-CRYPTO-DECRYPT/);
    expect(() => cipher.decrypt(envelope, 'conversation:other')).toThrow(/SG-CRYPTO-DECRYPT/);
    expect(() => createEnvelopeCipher([keyB]).decrypt(envelope, 'conversation:abc')).toThrow(/unknown version or key id/);
  });

  it('refuses an envelope whose authentication tag is cut short (pen test I1)', () => {
    const cipher = createEnvelopeCipher([keyA]);
    const parts = cipher.encrypt('{"child":"x"}', 'c').split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(parts[3], 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => cipher.decrypt([...parts.slice(0, 3), short, parts[4]].join('.'), 'c')).toThrow(/SG-CRYPTO-DECRYPT: authentication tag is not 16 bytes/);
    }
  });

  it('decrypts with an older key after rotation while encrypting with the newest', () => {
    const old = createEnvelopeCipher([keyA]).encrypt('before rotation', 'c');
    const rotated = createEnvelopeCipher([keyB, keyA]);
    expect(rotated.decrypt(old, 'c')).toBe('before rotation');
    expect(rotated.encrypt('after', 'c').split('.')[1]).toBe(keyB.id);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => encryptionKey(randomBytes(16))).toThrow(/SG-CRYPTO-KEY/);
  });
});
