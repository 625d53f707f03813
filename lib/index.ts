export { ApideckWebhookReceiver } from './apideck-webhook-receiver.ts';
export { ApideckWebhooksStack, type ApideckWebhooksStackProps } from './apideck-webhooks-stack.ts';
export { ApideckEventConsumer } from './consumer/apideck-event-consumer.ts';
export type { ApideckEventConsumerProps } from './consumer/consumer-props.ts';
export {
  CODE_ONLY_PROPS,
  ContextValueError,
  RECEIVER_CONTEXT_KEYS,
  receiverPropsFromContext,
} from './context/receiver-context.ts';
export {
  ALARM_THRESHOLD_DEFAULTS,
  type ReceiverAlarmThresholds,
} from './receiver/monitoring/alarm-thresholds.ts';
export {
  RECEIVER_ALARM_NAMES,
  type ReceiverAlarmName,
  type ReceiverAlarmSet,
} from './receiver/monitoring/receiver-alarms.ts';
export { SAVED_QUERIES, type SavedQueryName } from './receiver/monitoring/saved-queries.ts';
export { RECEIVER_DEFAULTS, ReceiverConfigurationError } from './receiver/resolve-props.ts';
export {
  SubscriptionHealth,
  type SubscriptionHealthAlarmName,
  type SubscriptionHealthOptions,
} from './receiver/subscription-health.ts';
export type {
  ApideckWebhookReceiverProps,
  EventSubscriptionOptions,
  QueueSubscriptionOptions,
  ReceiverMetricOptions,
} from './receiver-props.ts';
