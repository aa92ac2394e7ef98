import { Redis } from 'ioredis';

/**
 * One ioredis client per purpose. Commands fail fast while Redis is away (a turn then apologises and
 * /readyz says 503) instead of queueing without bound; the client keeps reconnecting in the background.
 */
export function createRedisClient(url: string, keyPrefix?: string): Redis {
  return new Redis(url, {
    ...(keyPrefix ? { keyPrefix } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}
