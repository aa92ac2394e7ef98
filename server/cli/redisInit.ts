import { createRedisStoreMarkers, readRedisSafety, redisSafetyProblems, rememberedMarker } from '../../integrations';
import { openCliContext, runAsEntryPoint, runCli, type Output } from './cliContext';

/**
 * `npm run redis:init`: the explicit production step that writes the deployment marker into a new Redis
 * (issue 18 item 2). Checks persistence and eviction first (INFO, never CONFIG) and, in production,
 * refuses a Redis without AOF or with eviction unless REDIS_PERSISTENCE=attested. Idempotent: an existing
 * marker is kept. `--acknowledge-reset` clears a recorded reset once a backup was restored or the loss
 * accepted (docs/deploy.md, "Store reset"). Also tells this host's DATA_DIR which marker to expect.
 */
export async function main(args: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  return runCli(io, async () => {
    const context = await openCliContext(env);
    try {
      const { config, redis } = context;
      if (!redis || !config.REDIS_URL) {
        io.out('embedded store (REDIS_URL unset): it initialises its own marker in DATA_DIR at start; nothing to do');
        return 0;
      }
      if (config.REDIS_PERSISTENCE === 'checked') {
        const problems = await readRedisSafety(redis).then(redisSafetyProblems, (error: Error) => [
          `Redis persistence and eviction could not be read with INFO (${error.message})`,
        ]);
        for (const problem of problems) io.err(`${config.NODE_ENV === 'production' ? 'refused' : 'warning'}: ${problem}`);
        if (problems.length && config.NODE_ENV === 'production') {
          io.err('not initialised: fix the Redis settings above, or set REDIS_PERSISTENCE=attested when the provider guarantees AOF and noeviction');
          return 1;
        }
      }
      const markers = createRedisStoreMarkers(redis, context.keyPrefix);
      const acknowledging = args.includes('--acknowledge-reset');
      const before = await markers.read();
      const marker = before ? (acknowledging ? ((await markers.acknowledgeReset()) ?? before) : before) : await markers.create({ by: 'redis:init' });
      await rememberedMarker(config.DATA_DIR, config.REDIS_URL, config.REDIS_KEY_PREFIX ?? '').write(marker.id);
      if (!before) io.out(`initialised: deployment marker ${marker.id} written`);
      else io.out(`already initialised: deployment marker ${marker.id} (created ${marker.createdAt} by ${marker.by}); kept`);
      if (acknowledging && before?.resetFrom)
        io.out(`reset from ${before.resetFrom} at ${before.resetAt ?? '(unknown time)'} acknowledged; restart the instances to clear their storeReset`);
      else if (marker.resetFrom)
        io.err(
          `this Redis records a store reset (from ${marker.resetFrom} at ${marker.resetAt ?? '(unknown time)'}): restore the latest backup, or run again with --acknowledge-reset once the loss is accepted`,
        );
      return 0;
    } finally {
      await context.close();
    }
  });
}

runAsEntryPoint(module, (args, env, io) => main(args, env, io));
