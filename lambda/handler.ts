/**
 * The Lambda entry point: composition only. Configuration is read and the SDK
 * clients are created once per container, at cold start.
 */
import { composeReceiver, createAwsClients } from './compose.ts';
import { loadConfig } from './config.ts';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from './contract/environment.ts';
import { CATCH_ALL_ROUTE } from './contract/event-catalogue.ts';
import { type ApiGatewayHandler, createApiGatewayHandler } from './http/api-gateway-handler.ts';
import { internalErrorResponse } from './http/responses.ts';
import { emfDocument, eventTypeDimension } from './observability/outcome-metrics.ts';
import { stdoutSink } from './observability/sink.ts';

/**
 * A bad configuration must not crash-loop the function (API Gateway would
 * answer 502 with nothing in the logs but a stack): every request answers 500
 * and logs the variable at fault, so Apideck keeps retrying until it is fixed.
 */
function misconfigured(error: unknown): ApiGatewayHandler {
  const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return async (_event, context) => {
    stdoutSink(
      JSON.stringify({
        level: 'ERROR',
        timestamp: new Date().toISOString(),
        message: 'receiver misconfigured',
        request_id: context.awsRequestId,
        outcome: 'misconfigured',
        status_code: 500,
        error: problem,
      }),
    );
    stdoutSink(
      emfDocument(
        { kind: 'unexpected-error', error },
        process.env[ENVIRONMENT.metricsNamespace] || ENVIRONMENT_DEFAULTS.metricsNamespace,
        0,
        Date.now(),
      ),
    );
    return internalErrorResponse();
  };
}

function createHandler(): ApiGatewayHandler {
  try {
    const config = loadConfig(process.env);
    return createApiGatewayHandler({
      receive: composeReceiver(config, createAwsClients()),
      metricsNamespace: config.metricsNamespace,
      eventTypeDimension: eventTypeDimension(
        Object.keys(config.topicArns).filter((type) => type !== CATCH_ALL_ROUTE),
      ),
      sink: stdoutSink,
    });
  } catch (error) {
    return misconfigured(error);
  }
}

/** The API Gateway (REST, v1 proxy) handler. */
export const handler: ApiGatewayHandler = createHandler();
