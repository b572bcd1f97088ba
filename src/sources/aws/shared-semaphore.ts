// A counting semaphore that several threads share: the live scan's cap on requests in flight, taken alike by the
// main thread's clients and the scan workers' (scan-workers.ts). The count lives in a SharedArrayBuffer; a thread
// whose callers must wait keeps them in order and lets one of them at a time sleep on the count with
// Atomics.waitAsync, and every release wakes one sleeping thread. Within one thread it behaves as Semaphore.
import type { Gate } from './limiter.js';

/** Atomics.waitAsync (Node 16+; typed from ES2024 on, above this project's lib setting). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

export class SharedSemaphore implements Gate {
  readonly buffer: SharedArrayBuffer;
  private readonly count: Int32Array;
  /** This thread's callers waiting for a slot, first come first served. */
  private readonly waiting: (() => void)[] = [];
  private pumping = false;

  /** A new semaphore of `size` slots, or (with `buffer`) this thread's handle on one made elsewhere. */
  constructor(
    readonly size: number,
    buffer?: SharedArrayBuffer,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`concurrency must be a positive integer (got ${size})`);
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.count = new Int32Array(this.buffer);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || !this.take()) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        void this.pump();
      });
    }
    try {
      return await fn();
    } finally {
      Atomics.sub(this.count, 0, 1);
      Atomics.notify(this.count, 0, 1);
    }
  }

  /** Slots taken right now, over every thread. */
  get active(): number {
    return Atomics.load(this.count, 0);
  }

  private take(): boolean {
    for (;;) {
      const taken = Atomics.load(this.count, 0);
      if (taken >= this.size) return false;
      if (Atomics.compareExchange(this.count, 0, taken, taken + 1) === taken) return true;
    }
  }

  /** Hands free slots to this thread's waiting callers, in order, sleeping on the count while it is full. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const taken = Atomics.load(this.count, 0);
        if (taken < this.size) {
          if (Atomics.compareExchange(this.count, 0, taken, taken + 1) === taken) this.waiting.shift()?.();
          continue;
        }
        const sleep = waitAsync(this.count, 0, taken);
        if (sleep.async) await sleep.value;
      }
    } finally {
      this.pumping = false;
    }
  }
}
