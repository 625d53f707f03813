/**
 * The stand-in's time: deliveries and retries are scheduled on a clock, so
 * tests can run Apideck's 24-hour retry schedule in milliseconds and the dev
 * loop can run it faster than real time.
 */

/** A source of time that can run a task at a later moment. */
export interface Clock {
  /** The current time in epoch milliseconds (virtual for a manual clock). */
  now(): number;
  /** Runs `task` once the clock reaches `atMs`. */
  schedule(atMs: number, task: () => Promise<void>): void;
}

/**
 * A clock that moves only when told: {@link advance} runs every task that
 * falls due, in time order, awaiting each, so a test observes a whole retry
 * schedule deterministically.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  readonly #pending: { readonly atMs: number; readonly task: () => Promise<void> }[] = [];

  constructor(startMs: number = Date.now()) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  schedule(atMs: number, task: () => Promise<void>): void {
    this.#pending.push({ atMs: Math.max(atMs, this.#nowMs), task });
  }

  /** Moves the clock forward by `ms`, running the tasks due on the way; returns how many ran. */
  async advance(ms: number): Promise<number> {
    return this.#runUntil(this.#nowMs + ms);
  }

  /** Runs every task (including those they schedule) until none is left; returns how many ran. */
  async runAll(): Promise<number> {
    return this.#runUntil(Number.POSITIVE_INFINITY);
  }

  async #runUntil(untilMs: number): Promise<number> {
    let ran = 0;
    for (;;) {
      // The sort is stable: tasks due at the same moment run in the order they were scheduled.
      this.#pending.sort((a, b) => a.atMs - b.atMs);
      const next = this.#pending[0];
      if (next === undefined || next.atMs > untilMs) break;
      this.#pending.shift();
      this.#nowMs = Math.max(this.#nowMs, next.atMs);
      await next.task();
      ran++;
    }
    if (Number.isFinite(untilMs)) this.#nowMs = Math.max(this.#nowMs, untilMs);
    return ran;
  }
}

/**
 * Wall-clock time sped up by `speed` (60 turns Apideck's 3-minute first retry
 * into 3 seconds), starting at `startMs`, for the dev loop. Timers are
 * unref'd: they never keep a process alive on their own.
 */
export class ScaledClock implements Clock {
  readonly #realOriginMs = Date.now();

  constructor(
    private readonly speed: number,
    private readonly startMs: number,
  ) {
    if (!(speed > 0)) throw new RangeError('ScaledClock: speed must be positive');
  }

  now(): number {
    return this.startMs + (Date.now() - this.#realOriginMs) * this.speed;
  }

  schedule(atMs: number, task: () => Promise<void>): void {
    const delay = Math.max(0, (atMs - this.now()) / this.speed);
    setTimeout(() => {
      void task();
    }, delay).unref();
  }
}
