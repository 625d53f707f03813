/**
 * The API Gateway handler wired from a configuration and clients: the one
 * composition that `lambda/handler.ts` (on `createAwsClients()`) and the bench
 * (on clients with stubbed HTTP) both run.
 */
import type { AwsClients } from './compose-receiver.ts';
import { composeReceiver } from './compose-receiver.ts';
import type { ReceiverConfig } from './config.ts';
import { CATCH_ALL_ROUTE } from './contract/event-catalogue.ts';
import { type ApiGatewayHandler, createApiGatewayHandler } from './http/api-gateway-handler.ts';
import { eventTypeDimension } from './observability/outcome-metrics.ts';
import type { LineSink } from './observability/sink.ts';

/** The receiver behind the HTTP layer, writing its log line and EMF document to `sink`. */
export function composeApiGatewayHandler(
  config: ReceiverConfig,
  clients: AwsClients,
  sink: LineSink,
): ApiGatewayHandler {
  return createApiGatewayHandler({
    receive: composeReceiver(config, clients),
    metricsNamespace: config.metricsNamespace,
    eventTypeDimension: eventTypeDimension(
      Object.keys(config.topicArns).filter((type) => type !== CATCH_ALL_ROUTE),
    ),
    sink,
  });
}
