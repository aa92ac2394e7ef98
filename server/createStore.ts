import {
  createEmbeddedConversationStore,
  createEnvelopeCipher,
  createRecordCodec,
  createRedisClient,
  createRedisConversationStore,
  type ConversationStore,
  type EncryptionKey,
} from '../integrations';
import type { Config } from './config';
import type { Logger } from './logger';

export interface BuiltStore {
  store: ConversationStore;
  /** Periodic housekeeping for the embedded store (Redis expires keys itself). */
  purgeExpired?: () => Promise<number>;
}

/** REDIS_URL set: Redis (shared by every instance). Unset: encrypted files under DATA_DIR. */
export async function createStore(config: Config, keys: EncryptionKey[], logger: Logger): Promise<BuiltStore> {
  const codec = createRecordCodec(createEnvelopeCipher(keys));
  const ttlMs = Math.round(config.CONVERSATION_TTL_HOURS * 3600 * 1000);
  if (config.REDIS_URL) {
    const redis = createRedisClient(config.REDIS_URL);
    redis.on('error', (error: Error) => logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'redis connection problem'));
    await redis.connect().catch((error: Error) => logger.error({ code: (error as NodeJS.ErrnoException).code }, 'redis not reachable at start; /readyz will say 503 until it is'));
    return { store: createRedisConversationStore({ redis, codec, ttlMs }) };
  }
  const store = await createEmbeddedConversationStore({ dataDir: config.DATA_DIR, codec, ttlMs });
  return { store, purgeExpired: store.purgeExpired };
}
