// Bounded concurrency for the live scan: per-key caps (account × service) and a minimum interval per key, around
// each call with its retries; and the Semaphore that caps requests in flight over the whole scan, which the shared
// clients take per attempt (clients.ts), so that a call waiting out a retry back-off holds no global slot.

/** What takes a slot around a call: Semaphore here, SharedSemaphore across threads. */
export interface Gate {
  /** Runs `fn` in a slot; a priority caller goes before the others waiting (where the gate supports it). */
  run<T>(fn: () => Promise<T>, priority?: boolean): Promise<T>;
}

export class Semaphore implements Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`concurrency must be a positive integer (got ${size})`);
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Spaces calls of one key at least `intervalMs` apart (start to start). */
export class Interval {
  private next = 0;
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly intervalMs: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.chain.then(async () => {
      const wait = this.next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.next = Date.now() + this.intervalMs;
    });
    this.chain = turn.catch(() => undefined);
    await turn;
    return fn();
  }
}

/** Keyed semaphores and intervals (the global cap on requests in flight is taken per attempt, in clients.ts). */
export class Limits {
  private readonly perKey = new Map<string, Semaphore>();
  private readonly intervals = new Map<string, Interval>();
  constructor(
    private readonly perKeySize: number,
    private readonly intervalMs: Record<string, number> = {},
  ) {}
  run<T>(key: string, service: string, fn: () => Promise<T>): Promise<T> {
    let keyed = this.perKey.get(key);
    if (!keyed) {
      keyed = new Semaphore(this.perKeySize);
      this.perKey.set(key, keyed);
    }
    const spacing = this.intervalMs[service];
    if (!spacing) return keyed.run(fn);
    let interval = this.intervals.get(key);
    if (!interval) {
      interval = new Interval(spacing);
      this.intervals.set(key, interval);
    }
    const spaced = interval;
    return keyed.run(() => spaced.run(fn));
  }
}

/** Per account × service: at most this many calls in flight (keeps one account from starving the others). */
export const PER_ACCOUNT_SERVICE = 4;
/** Minimum spacing per account × service; SES v1's 1 call/s is kept by its collector. */
export const SERVICE_INTERVALS: Record<string, number> = {};
