/**
 * Size and retention limits of the pipeline (API Gateway -> Lambda -> SNS, and
 * the idempotency table), named once for the construct (synth-time validation,
 * the WAF size rule) and the handler (cold-start validation).
 */
import { ENVIRONMENT_DEFAULTS, MIN_ACCEPTED_EVENT_AGE_HOURS } from './environment.ts';

/**
 * The function's timeout. API Gateway gives up on an integration after 29 s;
 * ten seconds leaves room for one slow Secrets Manager, DynamoDB and SNS round
 * trip each while still answering (and being retried by Apideck) long before.
 */
export const RECEIVER_TIMEOUT_SECONDS = 10;

/** SNS refuses a message over 256 KiB, body and attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** API Gateway (REST) refuses a request body over 10 MB itself, with its own 413. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Lambda refuses a synchronous invocation whose event is over 6 MB; API Gateway
 * then answers 5xx (the `api5xx` alarm), not 413.
 */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * API Gateway (REST) accepts at most 10,240 bytes of request headers. The proxy
 * event carries them twice (`headers` and `multiValueHeaders`).
 */
export const API_GATEWAY_MAX_HEADER_BYTES = 10_240;

/** Room for the rest of the proxy event: `requestContext`, path, stage, identity. */
const PROXY_EVENT_OVERHEAD_BYTES = 8_192;

/**
 * JSON escapes a control byte as `\u00XX`: six bytes for one. Without binary
 * media types the body travels as a JSON string, so a hostile body can grow
 * six-fold on its way into the event.
 */
const WORST_JSON_ESCAPE_FACTOR = 6;

/** The largest proxy event a body of this size can become: every byte escaped, headers at their limit. */
export function worstCaseInvocationEventBytes(bodyBytes: number): number {
  return (
    bodyBytes * WORST_JSON_ESCAPE_FACTOR +
    2 * API_GATEWAY_MAX_HEADER_BYTES +
    PROXY_EVENT_OVERHEAD_BYTES
  );
}

/**
 * The largest `MAX_BODY_BYTES` the pipeline can carry: a larger body could
 * never be published (SNS's limit binds first), and at this size even the
 * worst-case invocation event stays under Lambda's 6 MB (checked in the tests).
 */
export const MAX_BODY_BYTES_LIMIT = SNS_MAX_MESSAGE_BYTES;

/** The smallest `MAX_BODY_BYTES` accepted: an Apideck event is never smaller than this. */
export const MIN_BODY_BYTES_LIMIT = 1024;

/** Fewest and most days of idempotency retention (the table's TTL). */
export const RETENTION_DAYS_RANGE = { min: 1, max: 365 } as const;

/**
 * The one retention rule, for the construct's `idempotencyRetention` and the
 * handler's `IDEMPOTENCY_RETENTION_DAYS`: the accepted age of an event
 * (retention minus the replay margin) must cover Apideck's ~28 hours of retries.
 */
export function replayWindowCoversRetries(
  retentionDays: number,
  replayMarginHours: number,
): boolean {
  return retentionDays * 24 - replayMarginHours >= MIN_ACCEPTED_EVENT_AGE_HOURS;
}

/**
 * The fewest days of retention the rule allows with the default replay margin
 * (24 hours), which the construct pins: 3.
 */
export const MIN_RETENTION_DAYS = fewestRetentionDays(ENVIRONMENT_DEFAULTS.replayMarginHours);

function fewestRetentionDays(replayMarginHours: number): number {
  let days: number = RETENTION_DAYS_RANGE.min;
  while (!replayWindowCoversRetries(days, replayMarginHours)) days += 1;
  return days;
}

/** The smallest replay margin accepted, in hours. */
export const MIN_REPLAY_MARGIN_HOURS = 1;

/**
 * The shortest retention any valid configuration can have (with the smallest
 * margin): every record ever written was kept at least this long, which bounds
 * the replay window without reading the retention ledger.
 */
export const LEAST_VALID_RETENTION_DAYS = Math.ceil(
  (MIN_ACCEPTED_EVENT_AGE_HOURS + MIN_REPLAY_MARGIN_HOURS) / 24,
);

/** The most days of retention accepted. */
export const MAX_RETENTION_DAYS = RETENTION_DAYS_RANGE.max;
