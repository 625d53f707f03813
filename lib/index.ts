export { ApideckWebhookReceiver } from './apideck-webhook-receiver.ts';
export { ApideckWebhooksStack, type ApideckWebhooksStackProps } from './apideck-webhooks-stack.ts';
export { ApideckEventConsumer } from './consumer/apideck-event-consumer.ts';
export type { ApideckEventConsumerProps } from './consumer/consumer-props.ts';
export type { ReceiverAlarmSet } from './receiver/monitoring/receiver-alarms.ts';
export type { ReceiverSavedQueries } from './receiver/monitoring/saved-queries.ts';
export {
  ApideckSubscriptionHealth,
  type ApideckSubscriptionHealthProps,
  type SubscriptionHealthAlarms,
} from './receiver/subscription-health.ts';
export type {
  ApideckWebhookReceiverProps,
  EventSubscriptionOptions,
  QueueSubscriptionOptions,
  ReceiverMetricOptions,
} from './receiver-props.ts';
