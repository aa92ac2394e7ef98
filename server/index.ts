export { loadConfig, configSchema, configSummary, type Config } from './config';
export { createLogger, redactPaths, type Logger } from './logger';
export { createApp, jsonBodyLimit } from './app';
export { startService } from './main';
