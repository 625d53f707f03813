/**
 * The Lambda entry point: composition only. Configuration is read and the SDK
 * clients are created once per container, at cold start.
 */
import { composeReceiver, createAwsClients } from './compose.ts';
import { loadConfig } from './config.ts';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from './contract/environment.ts';
import { CATCH_ALL_ROUTE } from './contract/event-catalogue.ts';
import { ConfigurationError } from './errors.ts';
import { type ApiGatewayHandler, createApiGatewayHandler } from './http/api-gateway-handler.ts';
import { eventTypeDimension } from './observability/outcome-metrics.ts';
import { stdoutSink } from './observability/sink.ts';

/**
 * A bad configuration must not crash-loop the function (API Gateway would
 * answer 502 with nothing in the logs but a stack): every request answers 500
 * and logs the variable at fault through the same log line and metrics as any
 * other request, so Apideck keeps retrying until it is fixed.
 */
function misconfigured(error: unknown): ApiGatewayHandler {
  const problem =
    error instanceof ConfigurationError
      ? error
      : new ConfigurationError('environment', 'could not be read', { cause: error });
  return createApiGatewayHandler({
    receive: () => Promise.reject(problem),
    metricsNamespace:
      process.env[ENVIRONMENT.metricsNamespace]?.trim() || ENVIRONMENT_DEFAULTS.metricsNamespace,
    sink: stdoutSink,
  });
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
