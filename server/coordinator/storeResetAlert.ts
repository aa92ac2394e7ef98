import type { Logger } from 'pino';
import type { ContentPack, ServiceWordKey } from '../../flows';
import type { Handoff, HandoffQueue } from '../../integrations';
import type { StoreResetReport } from '../storeGuard';
import { fillPackText } from '../services/referralNotices';
import type { CoordinatorChannel } from '../services/coordinatorTriage';

/** The pack's words for the coordinators (`{detectedAt}` filled in); every pack has them (the schema requires them). */
export const storeResetAlertKey = 'store-reset-alert' satisfies ServiceWordKey;

/** The pack's words when the MASH refuses our credentials (`{detectedAt}`, `{status}` filled in). */
export const mashCredentialsAlertKey = 'mash-credentials-alert' satisfies ServiceWordKey;

interface AlertDeps {
  handoffs: HandoffQueue;
  pack: ContentPack;
  logger: Logger;
  channel?: () => CoordinatorChannel | undefined;
  now?: () => Date;
}

/**
 * A service alert for the CSE coordinators: a handoff on their board and, when configured, a card in
 * their Teams channel. Its id is fixed by the caller, so several instances raising the same alert open
 * one, not one each.
 */
export function createServiceAlert({ handoffs, pack, logger, channel, now = () => new Date() }: AlertDeps) {
  return async function raise(alert: { handoffId: string; kind: Handoff['kind']; key: ServiceWordKey; values: Record<string, string>; code: string; what: string }): Promise<void> {
    const words = fillPackText(pack, alert.key, alert.values, now());
    const handoff: Handoff = {
      handoffId: alert.handoffId,
      kind: alert.kind,
      referrer: { channelId: 'service', conversation: {} },
      summary: words.slice(0, 2000),
      urgency: 'immediate',
      createdAt: now().toISOString(),
      status: 'open',
      messages: [],
    };
    const { opened } = await handoffs.open(handoff);
    logger.error({ code: alert.code, handoff: handoff.handoffId, opened }, `${alert.what} alert raised with the coordinators`);
    if (!opened) return;
    const shown = channel?.();
    if (!shown) return;
    const card = await shown.show({ ...handoff, overdue: false }).catch((err: unknown) => {
      logger.warn({ err, handoff: handoff.handoffId }, `coordinators' card for the ${alert.what} not posted`);
      return undefined;
    });
    if (card) await handoffs.update(handoff.handoffId, (h) => (h.card ? undefined : { ...h, card }));
  };
}

/**
 * Raises a store reset with the CSE coordinators (issue 18 item 2), as a handoff of kind `store-reset`. Its
 * id comes from the marker that was lost, so several instances detecting the same reset open one alert.
 */
export function createStoreResetAlert(deps: AlertDeps) {
  const raise = createServiceAlert(deps);
  return async function alert(report: StoreResetReport): Promise<void> {
    const day = report.detectedAt.slice(0, 10);
    await raise({
      handoffId: `store-reset-${report.previous ?? day}`,
      kind: 'store-reset',
      key: storeResetAlertKey,
      values: { detectedAt: report.detectedAt },
      code: 'SG-STORE-RESET',
      what: 'store reset',
    });
  };
}

/**
 * Raises MASH credentials refused (401/403) with the coordinators at the first refusal (reliability review,
 * smaller notes), as a handoff of kind `mash-credentials`, one per day whatever the number of instances.
 */
export function createMashCredentialsAlert(deps: AlertDeps) {
  const raise = createServiceAlert(deps);
  const now = deps.now ?? (() => new Date());
  return async function alert(status: number): Promise<void> {
    const detectedAt = now().toISOString();
    await raise({
      handoffId: `mash-credentials-${detectedAt.slice(0, 10)}`,
      kind: 'mash-credentials',
      key: mashCredentialsAlertKey,
      values: { detectedAt, status: String(status) },
      code: 'SG-MASH-CREDENTIALS',
      what: 'MASH credentials',
    });
  };
}
