import type { Logger } from 'pino';
import type { PendingEffect } from '../../flows';
import type { AuditLog } from '../audit/auditLog';

export type EffectHandler = (pending: PendingEffect) => Promise<void>;

/** Runs the effects flows ask for. Every handler must be idempotent by `effect.id`: effects are re-run after a crash. */
export function createEffectSink(handlers: Record<string, EffectHandler>, logger: Logger) {
  return async function runEffects(pending: PendingEffect[]): Promise<void> {
    for (const item of pending) {
      const handler = handlers[item.effect.kind];
      if (!handler) {
        logger.warn({ kind: item.effect.kind, effect: item.effect.id }, 'no handler for effect');
        continue;
      }
      await handler(item);
    }
  };
}

export type EffectSink = ReturnType<typeof createEffectSink>;

/** `audit.append`: the decision record, with who made it, appended once. */
export function auditAppendHandler(audit: AuditLog): EffectHandler {
  return async ({ effect, actor }) => {
    const { recordType, recordedAt } = effect.payload;
    await audit.append({
      id: effect.id,
      recordType: typeof recordType === 'string' ? recordType : 'decision',
      recordedAt: typeof recordedAt === 'string' ? recordedAt : new Date().toISOString(),
      actor,
      payload: effect.payload,
    });
  };
}
