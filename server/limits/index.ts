export { rateLimit, ipOf, conversationOf, type RateRule } from './rateLimit';
export { abuseLimitsFrom, type AbuseLimits } from './abuseLimits';
