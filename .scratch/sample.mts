import { createApiGatewayHandler } from '../lambda/http/api-gateway-handler.ts';
import { createDeliveryHarness } from '../test/support/delivery-harness.ts';
import { signedApiGatewayEvent, loadEventText, fakeLambdaContext } from '../test/support/apideck-events.ts';
const harness = createDeliveryHarness();
const h = createApiGatewayHandler({ receive: harness.receive, metricsNamespace: 'ApideckWebhooks', sink: (l) => console.log(l) });
await h(signedApiGatewayEvent(loadEventText()), fakeLambdaContext({awsRequestId: '8e2a3b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b'}));
