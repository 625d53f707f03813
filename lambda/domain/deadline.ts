/**
 * The invocation's time budget. Every AWS call, with all of its attempts and
 * back-off, must end before Lambda's own timeout would: then the answer, the
 * log line and the metrics are written on every path, and an unfinished step is
 * decided by the receiver instead of by a killed container.
 */

/** Time kept back from the invocation's remaining time for the log line, the EMF and the answer. */
export const ANSWER_MARGIN_MS = 500;

/** A call given less time than this is not started: it could only time out. */
export const MIN_CALL_MS = 200;

/**
 * Time kept back, at each step, for the steps that must still follow it:
 * reading the keys is worth it only with time left to claim, publish and
 * record; a claim only with time left to publish and then complete or release;
 * a publish only with time left to record its result. 300 ms a step is many
 * times an in-region call's usual latency, and small enough for a function
 * timeout of a few seconds.
 */
export const RESERVE_MS = { beforeKeys: 900, beforeClaim: 600, beforePublish: 300 } as const;

/** Options every port call takes: how long it may take in all. */
export interface CallOptions {
  /** The call's whole budget in milliseconds, attempts and back-off included. */
  readonly timeoutMs: number;
}

/** The point in time by which the receiver must have finished its AWS calls. */
export class Deadline {
  private constructor(
    private readonly atMs: number,
    private readonly now: () => number,
  ) {}

  /** The deadline of an invocation that has `remainingTimeMs` left at `now()`. */
  static fromRemainingTime(remainingTimeMs: number, now: () => number): Deadline {
    return new Deadline(now() + remainingTimeMs - ANSWER_MARGIN_MS, now);
  }

  /**
   * The budget of the next call, keeping `reserveMs` back for the calls that
   * must still follow it (completing or releasing a claim after a publish);
   * `undefined` when too little is left to start the call at all.
   */
  budget(reserveMs = 0): CallOptions | undefined {
    const timeoutMs = this.atMs - reserveMs - this.now();
    return timeoutMs >= MIN_CALL_MS ? { timeoutMs } : undefined;
  }
}
