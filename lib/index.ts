export {
  ApideckWebhookReceiver,
  type ApideckWebhookReceiverProps,
  type EventSubscriptionOptions,
  type QueueSubscriptionOptions,
} from './apideck-webhook-receiver.ts';
export { ApideckWebhooksStack, type ApideckWebhooksStackProps } from './apideck-webhooks-stack.ts';
export { RECEIVER_DEFAULTS, ReceiverConfigurationError } from './receiver/resolve-props.ts';
