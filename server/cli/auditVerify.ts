import { createAuditCodec, createEmbeddedAuditLog, createRedisAuditLog, type AuditLog } from '../../integrations';
import { openCliContext, runAsEntryPoint, runCli, type CliContext, type Output } from './cliContext';

export async function openAuditLog(context: CliContext): Promise<AuditLog> {
  const codec = createAuditCodec(context.cipher);
  if (context.redis) return createRedisAuditLog({ redis: context.redis, codec, keyPrefix: context.keyPrefix });
  return createEmbeddedAuditLog({ dataDir: context.config.DATA_DIR, codec });
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
      const report = await audit.verify();
      const where = context.redis ? 'redis stream' : 'embedded file';
      if (!report.ok) {
        io.err(`audit chain BROKEN (${where}) at ${report.location}: ${report.problem}; ${report.records} records before it verified`);
        return 1;
      }
      const purged = report.purged ? `; starts after ${report.purged} older records purged by retention` : '';
      io.out(`audit chain OK (${where}): ${report.records} records, ${report.chained} chained, ${report.unchained} written before chaining${purged}`);
      return 0;
    } finally {
      await context.close();
    }
  });
}

runAsEntryPoint(module, (_args, env, io) => main(env, io));
