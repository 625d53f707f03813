import { DELIVERY_LOG_MESSAGE } from '../contract/request-log.ts';
import type { HandledOutcome } from './outcome-metrics.ts';
import { outcomeEventType } from './outcome-metrics.ts';

/** Facts about one request beyond its outcome. */
export interface RequestFacts {
  /** The Lambda request id. */
  readonly requestId: string;
  /** API Gateway's request id, which its access and execution logs carry too. */
  readonly apiRequestId?: string | undefined;
  readonly statusCode: number;
  readonly durationMs: number;
  readonly timestampMs: number;
  /** Whether this is the container's first request (Lambda's `Init Duration`, in its REPORT line). */
  readonly coldStart?: boolean | undefined;
  /** The X-Ray trace id, when the request was sampled (a trace exists to open). */
  readonly traceId?: string | undefined;
  /** The process's peak resident memory so far, in MB (Lambda's `Max Memory Used`). */
  readonly maxMemoryMb?: number | undefined;
}

type Level = 'INFO' | 'WARN' | 'ERROR';

function levelOf(outcome: HandledOutcome, statusCode: number): Level {
  if (statusCode >= 500 || (outcome.kind === 'published' && !outcome.completed)) return 'ERROR';
  if (outcome.kind === 'published' && outcome.droppedAttributes.length > 0) return 'WARN';
  return statusCode >= 400 ? 'WARN' : 'INFO';
}

/** An error as logged: names and messages down the `cause` chain, never a stack or a value. */
function describeError(error: unknown): Record<string, string> | undefined {
  if (!(error instanceof Error)) return error === undefined ? undefined : { name: typeof error };
  const described: Record<string, string> = { name: error.name, message: error.message };
  if (error.cause instanceof Error) {
    described.cause = `${error.cause.name}: ${error.cause.message}`;
  }
  return described;
}

function details(outcome: HandledOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'published':
      return {
        message_id: outcome.messageId,
        // Routed is the normal case: only a catch-all publish says so.
        routed: outcome.route.routed ? undefined : false,
        completed: outcome.completed,
        // A retry after a lost completion publishes again: say so where a subscriber can find the id.
        possible_duplicate: outcome.completed ? undefined : true,
        dropped_attributes:
          outcome.droppedAttributes.length > 0 ? outcome.droppedAttributes : undefined,
        recovered: outcome.recovered ? true : undefined,
        error: describeError(outcome.completionError),
      };
    case 'in-progress':
      return { retry_after_seconds: outcome.retryAfterSeconds };
    case 'invalid':
      return { reason: outcome.reason };
    case 'signature-rejected':
      return { reason: outcome.reason };
    case 'too-large':
      return { size_bytes: outcome.sizeBytes, limit_bytes: outcome.limitBytes };
    case 'replay-refused':
      return {
        reason: outcome.verdict,
        occurred_at: new Date(outcome.event.occurredAtMs).toISOString(),
      };
    case 'unavailable':
      return {
        dependency: outcome.dependency,
        publish_failed: outcome.publishFailed,
        publish_uncertain: outcome.publishUncertain,
        // SNS may have taken the message; Apideck's retry will publish it again.
        possible_duplicate: outcome.publishUncertain ? true : undefined,
        release_failed: outcome.releaseFailed,
        error: describeError(outcome.error),
      };
    case 'misconfigured':
    case 'unexpected-error':
      return { error: describeError(outcome.error) };
    default:
      return {};
  }
}

/**
 * The one structured log line of a request: event id and type, outcome,
 * status and duration, and what Lambda's REPORT line would say that the
 * runbook reads (cold start, peak memory, the sampled trace): the function logs
 * in JSON with the platform's own lines off. Never the key, the signature or
 * the payload.
 */
export function requestLogLine(outcome: HandledOutcome, facts: RequestFacts): string {
  const event = 'event' in outcome ? outcome.event : undefined;
  return JSON.stringify({
    level: levelOf(outcome, facts.statusCode),
    timestamp: new Date(facts.timestampMs).toISOString(),
    message: DELIVERY_LOG_MESSAGE,
    request_id: facts.requestId,
    api_request_id: facts.apiRequestId,
    outcome: outcome.kind,
    status_code: facts.statusCode,
    duration_ms: facts.durationMs,
    cold_start: facts.coldStart === true ? true : undefined,
    max_memory_mb: facts.maxMemoryMb,
    xray_trace_id: facts.traceId,
    event_id: event?.eventId,
    event_type: outcomeEventType(outcome),
    ...details(outcome),
  });
}
