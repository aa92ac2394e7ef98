/**
 * Runs tasks with the same key one after another in this process. Turns of one conversation on one
 * instance then never race each other (nor saves of one conversation reference); the store's
 * compare-and-set handles other instances.
 */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return async function runExclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
