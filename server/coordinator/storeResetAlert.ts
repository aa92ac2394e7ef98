import type { Logger } from 'pino';
import type { ContentPack } from '../../flows';
import type { Handoff, HandoffQueue } from '../../integrations';
import type { StoreResetReport } from '../storeGuard';
import { fillPackText } from '../referrals/referralService';
import type { CoordinatorChannel } from './coordinatorService';

/** The pack's words for the coordinators (`{detectedAt}` filled in); a pack without them gets these. */
export const storeResetAlertKey = 'store-reset-alert';
const fallbackWords = 'Service alert: the safeguarding bot\'s stored data was reset at {detectedAt}. Referrals queued for the MASH, conversations in progress and "my referrals" records written before then may be lost. Ask the service operator to restore the latest backup (runbook: docs/deploy.md, "Store reset"), and check with the MASH which referrals from today arrived.';

/**
 * Raises a store reset with the CSE coordinators (issue 18 item 2): a handoff of kind `store-reset` on
 * their board and, when configured, a card in their Teams channel. Its id comes from the marker that was
 * lost, so several instances detecting the same reset open one alert, not one each.
 */
export function createStoreResetAlert({ handoffs, pack, logger, channel, now = () => new Date() }: { handoffs: HandoffQueue; pack: ContentPack; logger: Logger; channel?: () => CoordinatorChannel | undefined; now?: () => Date }) {
  return async function alert(report: StoreResetReport): Promise<void> {
    const day = report.detectedAt.slice(0, 10);
    const words = pack.messages[storeResetAlertKey] ? fillPackText(pack, storeResetAlertKey, { detectedAt: report.detectedAt }, now()) : fallbackWords.replace('{detectedAt}', report.detectedAt);
    const handoff: Handoff = {
      handoffId: `store-reset-${report.previous ?? day}`,
      kind: 'store-reset',
      referrer: { channelId: 'service', conversation: {} },
      summary: words.slice(0, 2000),
      urgency: 'immediate',
      createdAt: now().toISOString(),
      status: 'open',
      messages: [],
    };
    const { opened } = await handoffs.open(handoff);
    logger.error({ code: 'SG-STORE-RESET', handoff: handoff.handoffId, opened }, 'store reset alert raised with the coordinators');
    if (!opened) return;
    const shown = channel?.();
    if (!shown) return;
    const card = await shown.show({ ...handoff, overdue: false }).catch((err: unknown) => {
      logger.warn({ err, handoff: handoff.handoffId }, 'coordinators\' card for the store reset not posted');
      return undefined;
    });
    if (card) await handoffs.update(handoff.handoffId, (h) => (h.card ? undefined : { ...h, card }));
  };
}
