import type { Outbox } from '../../integrations';
import type { ConversationTurns } from '../services/takeTurn';
import type { ServiceMetrics } from './serviceMetrics';

/** The outbox, counting each settled attempt by result; everything else is the outbox itself. */
export function instrumentOutbox(outbox: Outbox, metrics: ServiceMetrics): Outbox {
  return {
    get kind() {
      return outbox.kind;
    },
    enqueue: (entry) => outbox.enqueue(entry),
    get: (ref) => outbox.get(ref),
    list: (status) => outbox.list(status),
    claimDue: (consumer, limit) => outbox.claimDue(consumer, limit),
    async settle(item, settlement) {
      const record = await outbox.settle(item, settlement);
      metrics.deliveryAttempt(settlement.outcome);
      return record;
    },
    withdraw: (ref) => outbox.withdraw(ref),
    replay: (ref) => outbox.replay(ref),
    pending: () => outbox.pending(),
    quarantined: () => outbox.quarantined(),
    purgeDelivered: (before) => outbox.purgeDelivered(before),
    close: () => outbox.close(),
  };
}

/** Conversation turns, each timed and counted by channel and outcome. */
export function instrumentTurns(turns: ConversationTurns, metrics: ServiceMetrics): ConversationTurns {
  return { ...turns, run: (id, input, meta, reference, options) => metrics.timeTurn(meta.channelId, () => turns.run(id, input, meta, reference, options)) };
}
