import {
  createAuditCodec,
  createEmbeddedAuditLog,
  createEmbeddedStoreMarkers,
  createRedisAuditLog,
  createRedisStoreMarkers,
  rememberedMarker,
  type AuditLog,
  type StoreMarkers,
} from '../../integrations';
import { openCliContext, runAsEntryPoint, runCli, type CliContext, type Output } from './cliContext';

export async function openAuditLog(context: CliContext): Promise<AuditLog> {
  const codec = createAuditCodec(context.cipher);
  if (context.redis) return createRedisAuditLog({ redis: context.redis, codec, keyPrefix: context.keyPrefix });
  return createEmbeddedAuditLog({ dataDir: context.config.DATA_DIR, codec });
}

const markersOf = (context: CliContext): StoreMarkers =>
  context.redis ? createRedisStoreMarkers(context.redis, context.keyPrefix) : createEmbeddedStoreMarkers(context.config.DATA_DIR);

/**
 * Why the chain this deployment should have cannot be there (issue 18 item 2, reliability F3), so that
 * "OK, 0 records" is never said of a store that was reset: no deployment marker in Redis (reset, or
 * never initialised), a marker recording a reset nobody acknowledged, or another marker than the one
 * this host remembers.
 */
async function expectedChainMissing(context: CliContext): Promise<string | undefined> {
  const marker = await markersOf(context).read();
  const runbook = 'restore the latest backup (runbook: docs/deploy.md, "Store reset")';
  if (!marker && context.redis) return `Redis has no deployment marker: it was reset (every record written before is gone) or never initialised (npm run redis:init); ${runbook}`;
  if (marker?.resetFrom)
    return `the store was reset${marker.resetAt ? ` at ${marker.resetAt}` : ''} and records written before are lost; ${runbook}, or acknowledge the loss with npm run redis:init -- --acknowledge-reset`;
  const { REDIS_URL, REDIS_KEY_PREFIX, DATA_DIR } = context.config;
  const last = REDIS_URL ? await rememberedMarker(DATA_DIR, REDIS_URL, REDIS_KEY_PREFIX ?? '').read() : undefined;
  if (marker && last && last !== marker.id) return `Redis holds another deployment marker than this host last saw (${last}): it was reset or replaced; ${runbook}`;
  return undefined;
}

/**
 * `npm run audit:verify`: walks the audit hash chain. Exit 0 with counts when every link holds; exit 1
 * naming the first broken record (file:line or stream id) otherwise. Read-only; safe beside a running service.
 */
export async function main(env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  return runCli(io, async () => {
    const context = await openCliContext(env);
    try {
      const audit = await openAuditLog(context);
      const where = context.redis ? 'redis stream' : 'embedded file';
      const missing = await expectedChainMissing(context);
      if (missing) {
        io.err(`audit chain MISSING (${where}): ${missing}`);
        return 1;
      }
      const report = await audit.verify();
      if (!report.ok) {
        io.err(`audit chain BROKEN (${where}) at ${report.location}: ${report.problem}; ${report.records} records before it verified`);
        return 1;
      }
      const marker = await markersOf(context).read();
      if (marker?.audit && report.records === 0 && !report.purged) {
        io.err(
          `audit chain MISSING (${where}): the deployment marker says audit records were written, but the log is empty (the store lost them; runbook: docs/deploy.md, "Store reset")`,
        );
        return 1;
      }
      const purged = report.purged ? `; starts after ${report.purged} older records purged by retention` : '';
      const torn = report.tornTail ? '; the last line is an unfinished append (moved aside at the next append)' : '';
      const repaired = report.repairedTails ? `; ${report.repairedTails} torn tail(s) moved aside to audit/audit.torn.jsonl earlier` : '';
      io.out(`audit chain OK (${where}): ${report.records} records, ${report.chained} chained, ${report.unchained} written before chaining${purged}${torn}${repaired}`);
      return 0;
    } finally {
      await context.close();
    }
  });
}

runAsEntryPoint(module, (_args, env, io) => main(env, io));
