export { rateLimit, ipOf, clientKey, conversationOf, retryAfterSeconds, type RateRule } from './rateLimit';
export { batchedRedisRateCounter, memoryRateCounter, redisRateCounter, type RateCounter, type RateRuleLimit, type Taken } from './rateCounter';
export { abuseLimitsFrom, type AbuseLimits } from './abuseLimits';
export { createRateLimiter, type RateLimiter } from './rateLimiter';
