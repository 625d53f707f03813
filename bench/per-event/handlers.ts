/**
 * The receiver the per-event bench measures against the floor
 * (`../floor/calls.ts`), on clients whose HTTP layer may be stubbed: the real
 * receiver, from `composeApiGatewayHandler` (`lambda/compose-api-gateway-handler.ts`:
 * configuration from the environment, the API Gateway handler writing its log
 * line and EMF document to stdout), only with the given clients instead of
 * `createAwsClients()`.
 */

import { composeApiGatewayHandler } from '../../lambda/compose-api-gateway-handler.ts';
import type { AwsClients } from '../../lambda/compose-receiver.ts';
import { loadConfig } from '../../lambda/config.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { stdoutSink } from '../../lambda/observability/sink.ts';

/** The receiver, through the one composition the Lambda entry point uses, on the given clients. */
export function receiverHandler(clients: AwsClients): ApiGatewayHandler {
  return composeApiGatewayHandler(loadConfig(process.env), clients, stdoutSink);
}
