import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import type { DeliveryReceiver } from '../domain/receive-signed-delivery.ts';
import { ConfigurationError } from '../errors.ts';
import {
  maxMemoryMb,
  sampledTraceId,
  TRACE_HEADER_VARIABLE,
} from '../observability/invocation-facts.ts';
import type { HandledOutcome } from '../observability/outcome-metrics.ts';
import { emfDocument } from '../observability/outcome-metrics.ts';
import { requestLogLine } from '../observability/request-log.ts';
import type { LineSink } from '../observability/sink.ts';
import { type ApiGatewayEvent, decodeApiGatewayRequest } from './api-gateway-request.ts';
import { internalErrorResponse, toHttpResponse } from './responses.ts';

/**
 * The Lambda's signature for an API Gateway proxy integration: a REST API's
 * (payload format 1.0) or an HTTP API's (2.0). The result has the fields both
 * formats read (`statusCode`, `headers`, `body`), so the answers are the same.
 */
export type ApiGatewayHandler = (
  event: ApiGatewayEvent,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<APIGatewayProxyResult>;

/** What the HTTP layer needs: the receiver and where to write its line and metrics. */
export interface ApiGatewayHandlerOptions {
  readonly receive: DeliveryReceiver;
  readonly metricsNamespace: string;
  /**
   * Maps a signed event type to its metric dimension value, or to undefined
   * for no `EventType` dimension; defaults to the type itself.
   */
  readonly eventTypeDimension?: (eventType: string) => string | undefined;
  readonly sink: LineSink;
  readonly now?: () => number;
  /** The invocation's X-Ray header; defaults to the one Lambda sets in the environment per invocation. */
  readonly traceHeader?: () => string | undefined;
  /** Peak resident memory in MB; defaults to the process's. */
  readonly memoryMb?: () => number;
}

/**
 * The thin handler: decode the request, let the receiver decide, answer with
 * the outcome's HTTP response, write one log line and one EMF document. It never
 * throws: anything unexpected is a 500 without internals.
 */
export function createApiGatewayHandler(options: ApiGatewayHandlerOptions): ApiGatewayHandler {
  const { receive, metricsNamespace, sink, now = Date.now, eventTypeDimension } = options;
  const traceHeader = options.traceHeader ?? (() => process.env[TRACE_HEADER_VARIABLE]);
  const memoryMb = options.memoryMb ?? maxMemoryMb;
  let coldStart = true;
  return async (event, context) => {
    const startedAt = now();
    let outcome: HandledOutcome;
    let response: APIGatewayProxyResult;
    try {
      const request = decodeApiGatewayRequest(event);
      outcome = await receive({ ...request, remainingTimeMs: context.getRemainingTimeInMillis() });
      response = toHttpResponse(outcome);
    } catch (error) {
      outcome =
        error instanceof ConfigurationError
          ? { kind: 'misconfigured', error }
          : { kind: 'unexpected-error', error };
      response = internalErrorResponse();
    }
    const finishedAt = now();
    const durationMs = finishedAt - startedAt;
    const logLine = requestLogLine(outcome, {
      requestId: context.awsRequestId,
      apiRequestId: event.requestContext?.requestId,
      statusCode: response.statusCode,
      durationMs,
      timestampMs: finishedAt,
      coldStart,
      maxMemoryMb: memoryMb(),
      traceId: sampledTraceId(traceHeader()),
    });
    coldStart = false;
    const metrics = emfDocument(
      outcome,
      metricsNamespace,
      durationMs,
      finishedAt,
      eventTypeDimension,
    );
    // One write for both lines: the same bytes on stdout as two, for half the writes.
    sink(`${logLine}\n${metrics}`);
    return response;
  };
}
