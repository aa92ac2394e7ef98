import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../flows';
import { encryptionKey, type EncryptionKey } from '../integrations';
import type { Config } from './config';
import type { Logger } from './logger';

export const generatedKeyFile = 'state-encryption.key';

/**
 * The key that encrypts stored conversations. Outside production an unset key is generated once into
 * DATA_DIR (so `npm start` needs no setup and a restart can still read yesterday's state); production
 * must bring its own, which config validation enforces.
 */
export async function resolveEncryptionKeys(config: Config, logger: Logger): Promise<EncryptionKey[]> {
  if (config.STATE_ENCRYPTION_KEYS) return config.STATE_ENCRYPTION_KEYS.map((key) => encryptionKey(Buffer.from(key, 'base64')));
  if (config.STATE_ENCRYPTION_KEY) return [encryptionKey(Buffer.from(config.STATE_ENCRYPTION_KEY, 'base64'))];
  const path = join(config.DATA_DIR, generatedKeyFile);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined) {
    const key = Buffer.from(existing.trim(), 'base64');
    if (key.length !== 32) throw new DomainError('SG-CRYPTO-KEY', `${path} does not hold a 32-byte base64 key`);
    logger.warn({ file: path }, 'STATE_ENCRYPTION_KEY is unset: using the generated local key (set STATE_ENCRYPTION_KEY outside development)');
    return [encryptionKey(key)];
  }
  await mkdir(config.DATA_DIR, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn({ file: path }, 'STATE_ENCRYPTION_KEY is unset: generated a local key (set STATE_ENCRYPTION_KEY outside development)');
  return [encryptionKey(key)];
}
