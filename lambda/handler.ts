/**
 * The Lambda entry point: composition only. Configuration is read and the SDK
 * clients are created once per container, at cold start.
 */

import { composeApiGatewayHandler } from './compose-api-gateway-handler.ts';
import { createAwsClients } from './compose-receiver.ts';
import { loadConfig } from './config.ts';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from './contract/environment.ts';
import { ConfigurationError } from './errors.ts';
import { type ApiGatewayHandler, createApiGatewayHandler } from './http/api-gateway-handler.ts';
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
    return composeApiGatewayHandler(loadConfig(process.env), createAwsClients(), stdoutSink);
  } catch (error) {
    return misconfigured(error);
  }
}

/** The API Gateway (REST, v1 proxy) handler. */
export const handler: ApiGatewayHandler = createHandler();
