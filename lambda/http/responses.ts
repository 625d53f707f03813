import type { APIGatewayProxyResult } from 'aws-lambda';
import { bodyTooLargeBody, UNAUTHORIZED_BODY } from '../contract/http.ts';
import type { DeliveryOutcome } from '../domain/delivery-outcome.ts';

/** Seconds Apideck (or anyone) is asked to wait after a 503. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

function json(
  statusCode: number,
  body: Readonly<Record<string, string | number>>,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The one place an outcome becomes an HTTP answer: a status code and a JSON body
 * with a short machine-readable `status`. Never a key, a signature, the payload
 * or an internal error message.
 */
export function toHttpResponse(outcome: DeliveryOutcome): APIGatewayProxyResult {
  switch (outcome.kind) {
    case 'published':
      return json(200, { status: 'published', event_id: outcome.event.eventId });
    case 'duplicate':
      return json(200, { status: 'duplicate', event_id: outcome.event.eventId });
    case 'ignored':
      return json(200, { status: 'ignored', reason: 'validly signed, but not an Apideck event' });
    case 'signature-rejected':
      return json(401, UNAUTHORIZED_BODY);
    case 'invalid':
      return json(400, {
        status: outcome.problem === 'invalid-json' ? 'invalid_json' : 'invalid_envelope',
        reason: outcome.reason,
      });
    case 'in-progress':
      return json(
        409,
        { status: 'in_progress', reason: 'this event is being processed by another delivery' },
        { 'retry-after': String(outcome.retryAfterSeconds) },
      );
    case 'payload-conflict':
      return json(422, {
        status: 'payload_conflict',
        reason: 'this event_id was received before with a different payload',
      });
    case 'replay-refused':
      return json(422, {
        status: 'outside_replay_window',
        reason:
          outcome.verdict === 'too-old'
            ? 'occurred_at is older than the replay window accepts'
            : 'occurred_at is too far in the future',
      });
    case 'too-large':
      return json(
        413,
        outcome.event === undefined
          ? bodyTooLargeBody(outcome.limitBytes)
          : {
              status: 'too_large',
              reason: 'event too large for SNS',
              limit_bytes: outcome.limitBytes,
            },
      );
    case 'unavailable':
      return json(
        503,
        { status: 'unavailable', reason: 'a dependency is unavailable; retry later' },
        { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      );
  }
}

/** The answer to anything unexpected: no internals. */
export function internalErrorResponse(): APIGatewayProxyResult {
  return json(500, { status: 'error', reason: 'internal error' });
}
