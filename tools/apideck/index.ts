/** The Apideck stand-in: the Apideck side of the integration, for the dev loop and the tests. */
export { type Clock, ManualClock, ScaledClock } from './clock.ts';
export type {
  DisabledReason,
  Webhook,
  WebhookEventLog,
  WebhookEventLogsFilter,
  WebhookStatus,
} from './model.ts';
export {
  ATTEMPT_TIMEOUT_MS,
  DELIVERY_TIME_TO_LIVE_MS,
  nextAttemptAt,
  RETRY_DELAYS_MS,
} from './retry-schedule.ts';
export { type ApideckApiOptions, type ApideckApiServer, startApideckApi } from './server.ts';
export { apideckSignature } from './signing.ts';
export { loadWebhookApiSpec, WEBHOOK_API_SPEC_PATH } from './spec.ts';
export {
  ApideckStandIn,
  type ApideckStandInOptions,
  type DeliveryAttempt,
  type EventLogStyle,
  VALIDATION_BODY,
  VALIDATION_EVENT_TYPE,
} from './stand-in.ts';
