import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { DeliveryReceiver } from '../domain/receive-signed-delivery.ts';
import { ConfigurationError } from '../errors.ts';
import type { HandledOutcome } from '../observability/outcome-metrics.ts';
import { emfDocument } from '../observability/outcome-metrics.ts';
import { requestLogLine } from '../observability/request-log.ts';
import type { LineSink } from '../observability/sink.ts';
import { decodeApiGatewayRequest } from './api-gateway-request.ts';
import { internalErrorResponse, toHttpResponse } from './responses.ts';

/** The Lambda's signature for a REST API (v1) proxy integration. */
export type ApiGatewayHandler = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<APIGatewayProxyResult>;

/** What the HTTP layer needs: the receiver and where to write its line and metrics. */
export interface ApiGatewayHandlerOptions {
  readonly receive: DeliveryReceiver;
  readonly metricsNamespace: string;
  /** Maps a signed event type to its metric dimension value; defaults to the type itself. */
  readonly eventTypeDimension?: (eventType: string) => string;
  readonly sink: LineSink;
  readonly now?: () => number;
}

/**
 * The thin handler: decode the request, let the receiver decide, answer with
 * the outcome's HTTP response, write one log line and one EMF document. It never
 * throws: anything unexpected is a 500 without internals.
 */
export function createApiGatewayHandler(options: ApiGatewayHandlerOptions): ApiGatewayHandler {
  const { receive, metricsNamespace, sink, now = Date.now, eventTypeDimension } = options;
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
    });
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
