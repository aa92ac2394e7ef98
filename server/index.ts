export { loadConfig, configSchema, configSummary, type Config } from './config';
export { createLogger, redactPaths, type Logger } from './logger';
export { createHttpApp, jsonBodyLimit } from './httpApp';
export { startService } from './main';
export { createApp, type BuiltApp, type CreateAppOptions } from './createApp';
