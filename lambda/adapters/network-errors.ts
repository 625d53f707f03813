/**
 * What a failed SDK call tells about its request, read from the error the SDK
 * (smithy's Node HTTP handler) raised. Only this file knows those shapes.
 */

/** Node's codes of failures before a connection existed: the request never left. */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Service error codes that refuse a request before acting on it. */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'SlowDown',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/** The HTTP status the service answered with, if it answered. */
export function answeredStatus(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * How a failed call ended:
 * - `not-sent`: no connection was made (refused, unresolvable, connect timeout);
 * - `refused`: the service answered that it did not act (4xx, throttling, 503);
 * - `uncertain`: the request may have been acted on (its answer was lost, cut
 *   off, timed out, or was a 5xx other than 503).
 */
export type FailureKind = 'not-sent' | 'refused' | 'uncertain';

/** Classifies a failed SDK call (see {@link FailureKind}). */
export function classifyFailure(error: unknown): FailureKind {
  const { name, code } = shape(error);
  const status = answeredStatus(error);
  if (status !== undefined && status >= 200) {
    if (status < 500 || status === 503) return 'refused';
    return typeof name === 'string' && THROTTLING_CODES.has(name) ? 'refused' : 'uncertain';
  }
  if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return 'not-sent';
  // smithy's connection timeout: a TimeoutError without a socket error code.
  if (name === 'TimeoutError' && code === undefined) return 'not-sent';
  return 'uncertain';
}

/** Whether the refusal is a throttle or a 503, worth another attempt soon. */
export function isRetryableRefusal(error: unknown): boolean {
  const { name } = shape(error);
  const status = answeredStatus(error);
  return (
    status === 503 || status === 429 || (typeof name === 'string' && THROTTLING_CODES.has(name))
  );
}
