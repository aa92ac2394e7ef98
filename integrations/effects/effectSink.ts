import type { Logger } from 'pino';
import { readPendingEffect, type EffectKind, type EffectOf, type EffectContext, type PendingEffect, type StoredPendingEffect } from '../../flows';
import type { AuditLog } from '../audit/auditLog';

export type EffectHandler<K extends EffectKind> = (pending: PendingEffect<K>) => Promise<void>;

/** One handler per effect kind: a kind added to flows/effects.ts without its handler here does not compile. */
export type EffectHandlers = { [K in EffectKind]: EffectHandler<K> };

/** Indexed by a generic kind, so the compiler pairs each effect with its own kind's handler without a cast. */
function dispatch<K extends EffectKind>(handlers: EffectHandlers, kind: K, effect: EffectOf<K>, context: EffectContext): Promise<void> {
  return handlers[kind]({ ...context, effect });
}

/**
 * Runs the effects flows ask for. Every handler must be idempotent by `effect.id`: effects are re-run after
 * a crash. An effect this version cannot read (a kind it does not know, or a payload that is not its kind's,
 * saved by another version) is skipped with a warning and not retried, so it never holds up the others.
 */
export function createEffectSink(handlers: EffectHandlers, logger: Logger) {
  return async function runEffects(pending: readonly StoredPendingEffect[]): Promise<void> {
    for (const item of pending) {
      const read = readPendingEffect(item);
      if (!read.ok) {
        logger.warn({ kind: item.effect.kind, effect: item.effect.id, problems: read.problems }, 'effect skipped: a kind or payload this version cannot run');
        continue;
      }
      const { effect, ...context } = read.pending;
      await dispatch(handlers, effect.kind, effect, context);
    }
  };
}

export type EffectSink = ReturnType<typeof createEffectSink>;

/** `audit.append`: the decision record, with who made it, appended once. */
export function auditAppendHandler(audit: AuditLog): EffectHandler<'audit.append'> {
  return async ({ effect, actor }) => {
    await audit.append({
      id: effect.id,
      recordType: effect.payload.recordType,
      recordedAt: effect.payload.recordedAt ?? new Date().toISOString(),
      actor,
      payload: effect.payload,
    });
  };
}
