/**
 * Runs one SDK call inside a time budget. The SDK's own timeouts are per
 * attempt and are reset by every byte a slow endpoint trickles; this bound
 * covers the whole call, attempts and back-off included, whatever the endpoint
 * does: the call is aborted and the promise settles when the budget is spent.
 */

/** Without a budget (tools, tests) a call may take this long in all. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/** A call's budget in milliseconds: the one given, or {@link DEFAULT_CALL_TIMEOUT_MS}. */
export function budgetMs(options: { readonly timeoutMs: number } | undefined): number {
  return options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
}

/** The budget of a call ran out before it settled. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`the call did not finish within its ${timeoutMs} ms budget`);
  }
}

/**
 * Calls `call` with an `AbortSignal` that fires after `timeoutMs`, and settles
 * no later than that even if the call ignores the signal.
 *
 * One promise settled by whichever comes first (the call or the timer), rather
 * than `Promise.race` of the call and a timer promise: this wraps every AWS
 * call, three per event.
 *
 * @throws CallTimeoutError when the budget runs out; otherwise what `call` throws.
 */
export function callWithin<T>(
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new CallTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    try {
      call(controller.signal).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}
