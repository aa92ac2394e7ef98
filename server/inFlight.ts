/** Counts requests being served so that shutdown can wait for in-flight turns to finish and save. */
export function createInFlight() {
  let active = 0;
  let closing = false;
  const idle: Array<() => void> = [];
  return {
    get closing() {
      return closing;
    },
    get active() {
      return active;
    },
    async track<T>(work: () => Promise<T>): Promise<T> {
      active++;
      try {
        return await work();
      } finally {
        active--;
        if (active === 0) for (const resolve of idle.splice(0)) resolve();
      }
    },
    /** Refuses new work and resolves when nothing is in flight (or after `timeoutMs`). */
    drain(timeoutMs: number): Promise<boolean> {
      closing = true;
      if (active === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
