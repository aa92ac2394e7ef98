import type { RememberedMarker, StoreMarker, StoreMarkers } from '../integrations';
import type { Logger } from './logger';

/** What a store reset looks like to the rest of the service (the alert, the health bodies, the gauge). */
export interface StoreResetReport {
  /** Why: the marker went missing, changed, or was missing at a production start. */
  reason: 'missing-at-start' | 'changed-since-last-start' | 'unacknowledged' | 'disappeared' | 'changed';
  /** The marker this instance knew, when it knew one (names the handoff, so instances raise one alert). */
  previous?: string;
  detectedAt: string;
}

export interface StoreGuardOptions {
  markers: StoreMarkers;
  production: boolean;
  logger: Logger;
  /** Redis only: the marker this host saw last (DATA_DIR), across restarts. */
  remembered?: RememberedMarker;
  /** How often the marker is read (STORE_MARKER_CHECK_MS); a reset is detected within this. */
  intervalMs: number;
  /** Raises the alert (a coordinators' handoff); failures are logged, never thrown. */
  onReset?: (report: StoreResetReport) => Promise<void>;
  now?: () => Date;
}

/**
 * Watches the deployment marker (issue 18 item 2, reliability F3). A marker that disappears or changes
 * while running, is missing at a production start, or differs from the one this host remembers, is a
 * store reset: logged as SG-STORE-RESET, latched until the instance restarts (`storeReset` in /healthz and
 * /readyz, the `sg_store_reset` gauge) and alerted once. The service keeps answering: advice and 999
 * stay online; only an instance that cannot read and write leaves the balancer (/readyz).
 */
export function createStoreGuard({ markers, production, logger, remembered, intervalMs, onReset, now = () => new Date() }: StoreGuardOptions) {
  let known: StoreMarker | undefined;
  let initialised = false;
  let report: StoreResetReport | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  async function reset(reason: StoreResetReport['reason'], previous?: string): Promise<void> {
    if (report) return;
    report = { reason, ...(previous ? { previous } : {}), detectedAt: now().toISOString() };
    logger.error(
      { code: 'SG-STORE-RESET', reason, store: markers.kind, ...(previous ? { marker: previous } : {}) },
      'SG-STORE-RESET: the store was reset: referrals, conversations and audit records written before may be lost (runbook: docs/deploy.md, "Store reset")',
    );
    await onReset?.(report).catch((err: unknown) => logger.error({ err, code: 'SG-STORE-RESET' }, 'store reset alert not raised'));
  }

  /**
   * A new marker that records the reset (`resetFrom`): every instance that starts later, and
   * `audit:verify`, report it until an operator acknowledges it (`npm run redis:init -- --acknowledge-reset`).
   */
  const recordReset = (previous: string | undefined) => markers.create({ by: 'auto', resetFrom: previous ?? 'unknown', resetAt: now().toISOString() });

  /** First look: at start, or at the first check the store answers. */
  async function initialise(): Promise<void> {
    const [marker, last] = await Promise.all([markers.read(), remembered?.read()]);
    if (!marker) {
      // Production on Redis is initialised explicitly (`npm run redis:init`): a missing marker is a reset.
      // Elsewhere a store without a marker is new, unless this host remembers another one.
      const lost = last !== undefined || (production && markers.kind === 'redis');
      known = lost ? await recordReset(last) : await markers.create({ by: 'auto' });
      if (lost) await reset(last ? 'changed-since-last-start' : 'missing-at-start', last);
    } else {
      known = marker;
      if (last && last !== marker.id) await reset('changed-since-last-start', last);
      else if (marker.resetFrom) await reset('unacknowledged', marker.resetFrom === 'unknown' ? undefined : marker.resetFrom);
    }
    if (known && !last) await remembered?.write(known.id);
    initialised = true;
  }

  async function check(): Promise<void> {
    if (!initialised) return initialise();
    const marker = await markers.read();
    if (!marker) {
      const previous = known?.id;
      known = await recordReset(previous);
      return reset('disappeared', previous);
    }
    if (known && marker.id !== known.id) {
      const previous = known.id;
      known = marker;
      return reset('changed', previous);
    }
  }

  /** One check at a time; a store that cannot be read is /readyz's business, not a reset. */
  function tick(): Promise<void> {
    checking ??= check()
      .catch((err: unknown) => logger.debug({ err }, 'store marker not readable just now'))
      .finally(() => (checking = undefined));
    return checking;
  }

  return {
    /** Reads the marker once (waiting for it) and then every `intervalMs`. */
    async start(): Promise<void> {
      await tick();
      timer = setInterval(() => void tick(), intervalMs).unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
    },
    /** For tests and the audit flag: check now. */
    check: tick,
    get storeReset(): boolean {
      return report !== undefined;
    },
    get report(): StoreResetReport | undefined {
      return report;
    },
    /** The marker this instance knows (audit records note their presence on it). */
    get marker(): StoreMarker | undefined {
      return known;
    },
  };
}

export type StoreGuard = ReturnType<typeof createStoreGuard>;
