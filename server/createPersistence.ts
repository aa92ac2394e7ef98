import type { Redis } from 'ioredis';
import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEmbeddedConversationStore,
  createEnvelopeCipher,
  createRecordCodec,
  createRedisAuditLog,
  createRedisClient,
  createRedisConversationStore,
  createEmbeddedTranscriptStore,
  createRedisTranscriptStore,
  createTranscriptCodec,
  type AuditLog,
  type TranscriptStore,
  type ConversationStore,
  type EncryptionKey,
} from '../integrations';
import type { Config } from './config';
import type { Logger } from './logger';

export interface Persistence {
  store: ConversationStore;
  audit: AuditLog;
  /** Web chat (Direct Line) conversations and their activity history. */
  transcripts: TranscriptStore;
  /** Periodic housekeeping for the embedded store (Redis expires keys itself). */
  purgeExpired?: () => Promise<number>;
  close(): Promise<void>;
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = createRedisClient(url);
  redis.on('error', (error: NodeJS.ErrnoException) => logger.warn({ code: error.code }, 'redis connection problem'));
  await redis.connect().catch((error: NodeJS.ErrnoException) => logger.error({ code: error.code }, 'redis not reachable at start; /readyz will say 503 until it is'));
  return redis;
}

/** REDIS_URL set: Redis (shared by every instance). Unset: encrypted files under DATA_DIR. */
export async function createPersistence(config: Config, keys: EncryptionKey[], logger: Logger): Promise<Persistence> {
  const cipher = createEnvelopeCipher(keys);
  const codec = createRecordCodec(cipher);
  const auditCodec = createAuditCodec(cipher);
  const ttlMs = Math.round(config.CONVERSATION_TTL_HOURS * 3600 * 1000);
  if (config.REDIS_URL) {
    const redis = await connectRedis(config.REDIS_URL, logger);
    const store = createRedisConversationStore({ redis, codec, ttlMs });
    const transcripts = createRedisTranscriptStore({ redis, codec: createTranscriptCodec(cipher), ttlMs });
    return { store, audit: createRedisAuditLog({ redis, codec: auditCodec }), transcripts, close: () => store.close() };
  }
  const store = await createEmbeddedConversationStore({ dataDir: config.DATA_DIR, codec, ttlMs });
  const audit = await createEmbeddedAuditLog({ dataDir: config.DATA_DIR, codec: auditCodec });
  const transcripts = await createEmbeddedTranscriptStore({ dataDir: config.DATA_DIR, codec: createTranscriptCodec(cipher), ttlMs });
  const purgeExpired = async () => (await store.purgeExpired()) + (await transcripts.purgeExpired());
  return { store, audit, transcripts, purgeExpired, close: () => store.close() };
}
