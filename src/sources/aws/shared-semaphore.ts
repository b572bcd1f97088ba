// A counting semaphore that several threads share: the live scan's cap on requests in flight, taken alike by the
// main thread's clients and the scan workers' (scan-workers.ts). The counts live in a SharedArrayBuffer; a thread
// whose callers must wait keeps them in order and lets one of them at a time sleep on the count with
// Atomics.waitAsync. A thread that ends a call while its own callers wait hands the slot straight to the first of
// them; otherwise the slot goes back to the count and a sleeping thread, if any, is woken (waking another thread
// costs far more than the call's own bookkeeping, so it is done only when needed). Within one thread it behaves as
// Semaphore.
//
// Priority callers (the Organization walk: one account's long chain of calls that the whole scan waits for) go
// before every other waiting caller, in any thread: while one waits, the others leave it the next free slot.
import type { Gate } from './limiter.js';

/** Atomics.waitAsync (Node 16+; typed from ES2024 on, above this project's lib setting). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs?: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/**
 * Slots of the shared counts: taken slots, priority callers waiting, threads asleep on TAKEN (over every thread;
 * a hint only: a thread that ended while asleep stays counted, which costs needless wake-ups, nothing else).
 */
const TAKEN = 0;
const PRIORITY_WAITING = 1;
const SLEEPERS = 2;
/** From here, the slots each thread holds (index 0: the main thread, 1…: the workers), so a dead one's come back. */
const HELD = 3;
/** Threads that can share one semaphore: the main thread and up to 64 workers (`--threads` is at most 64). */
export const MAX_HOLDERS = 65;
/** A sleeping thread looks at the count again after this long, woken or not. */
const RECHECK_MS = 100;

interface Waiter {
  resolve: () => void;
  priority: boolean;
}

export class SharedSemaphore implements Gate {
  readonly buffer: SharedArrayBuffer;
  private readonly counts: Int32Array;
  /** This thread's callers waiting for a slot: priority first, then first come first served. */
  private readonly waiting: Waiter[] = [];
  private pumping = false;

  /**
   * A new semaphore of `size` slots, or (with `buffer`) this thread's handle on one made elsewhere; `holder` numbers
   * the thread (0 for the main thread, a worker its own from 1), under which the slots it takes are counted.
   */
  constructor(
    readonly size: number,
    buffer?: SharedArrayBuffer,
    private readonly holder = 0,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`concurrency must be a positive integer (got ${size})`);
    if (!Number.isInteger(holder) || holder < 0 || holder >= MAX_HOLDERS) throw new Error(`holder must be from 0 to ${MAX_HOLDERS - 1} (got ${holder})`);
    this.buffer = buffer ?? new SharedArrayBuffer(4 * (HELD + MAX_HOLDERS));
    this.counts = new Int32Array(this.buffer);
  }

  async run<T>(fn: () => Promise<T>, priority = false): Promise<T> {
    if (this.waiting.length > 0 || !this.take(priority)) {
      await new Promise<void>((resolve) => {
        this.enqueue({ resolve, priority });
        void this.pump();
      });
    }
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** The slot goes to this thread's first waiting caller, unless a priority caller waits elsewhere for it. */
  private release(): void {
    const head = this.waiting[0];
    if (head && (head.priority || Atomics.load(this.counts, PRIORITY_WAITING) === 0)) {
      this.waiting.shift();
      if (head.priority) Atomics.sub(this.counts, PRIORITY_WAITING, 1);
      head.resolve();
      return;
    }
    Atomics.sub(this.counts, HELD + this.holder, 1);
    Atomics.sub(this.counts, TAKEN, 1);
    this.wake();
  }

  /**
   * Gives back the slots a thread that ended still held (a worker that died in the middle of calls): without this,
   * they would stay taken for good, and the callers of every other thread could wait for them forever.
   */
  reclaim(holder: number): void {
    const held = Atomics.exchange(this.counts, HELD + holder, 0);
    if (held === 0) return;
    Atomics.sub(this.counts, TAKEN, held);
    Atomics.notify(this.counts, TAKEN, Infinity);
  }

  /** Slots taken right now, over every thread. */
  get active(): number {
    return Atomics.load(this.counts, TAKEN);
  }

  private enqueue(waiter: Waiter): void {
    if (!waiter.priority) {
      this.waiting.push(waiter);
      return;
    }
    Atomics.add(this.counts, PRIORITY_WAITING, 1);
    const firstOrdinary = this.waiting.findIndex((w) => !w.priority);
    this.waiting.splice(firstOrdinary < 0 ? this.waiting.length : firstOrdinary, 0, waiter);
  }

  /** Takes a slot if one is free for this kind of caller: ordinary callers leave one to each waiting priority caller. */
  private take(priority: boolean): boolean {
    for (;;) {
      const taken = Atomics.load(this.counts, TAKEN);
      const limit = priority ? this.size : this.size - Atomics.load(this.counts, PRIORITY_WAITING);
      if (taken >= limit) return false;
      if (Atomics.compareExchange(this.counts, TAKEN, taken, taken + 1) === taken) {
        Atomics.add(this.counts, HELD + this.holder, 1);
        return true;
      }
    }
  }

  /** One sleeping thread is enough, unless a priority caller waits: then all wake, so that its thread surely does. */
  private wake(): void {
    if (Atomics.load(this.counts, SLEEPERS) === 0) return;
    Atomics.notify(this.counts, TAKEN, Atomics.load(this.counts, PRIORITY_WAITING) > 0 ? Infinity : 1);
  }

  /** Hands free slots to this thread's waiting callers, in order, sleeping on the count while none is free to them. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    // Atomics.waitAsync does not keep a thread's event loop alive: without this, a worker whose callers all wait for
    // slots other threads hold would end as if it had nothing left to do.
    const alive = setInterval(() => undefined, 60_000);
    try {
      while (this.waiting.length > 0) {
        const head = this.waiting[0];
        const taken = Atomics.load(this.counts, TAKEN);
        if (this.take(head.priority)) {
          this.waiting.shift();
          if (head.priority) {
            Atomics.sub(this.counts, PRIORITY_WAITING, 1);
            // Ordinary callers that were leaving this slot may now take others.
            this.wake();
          }
          head.resolve();
          continue;
        }
        // Announced before the count is read again: a release after this point sees a sleeper and wakes it, one
        // before it changed the count, and waitAsync then returns at once.
        Atomics.add(this.counts, SLEEPERS, 1);
        let woken = false;
        try {
          // Never asleep for long: a wake-up meant for this thread may have gone to one that ended (a worker that
          // died), and callers served meanwhile by this thread's own releases leave nothing to wait for.
          const sleep = waitAsync(this.counts, TAKEN, taken, RECHECK_MS);
          if (sleep.async) woken = (await sleep.value) === 'ok';
        } finally {
          Atomics.sub(this.counts, SLEEPERS, 1);
        }
        // Woken for a slot this thread no longer needs (a release here handed its callers theirs meanwhile): the
        // wake-up is passed on, or a thread still waiting would sleep beside a free slot.
        if (woken && this.waiting.length === 0) this.wake();
      }
    } finally {
      clearInterval(alive);
      this.pumping = false;
    }
  }
}
