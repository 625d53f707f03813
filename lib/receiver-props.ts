import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** Properties of `ApideckWebhookReceiver`. Every default is the secure choice. */
export interface ApideckWebhookReceiverProps {
  /**
   * Apideck event types that get an SNS topic of their own. A validly signed
   * event of any other type is published to the catch-all topic, never dropped.
   *
   * @default - the 12 Vault connection event types (`VAULT_CONNECTION_EVENT_TYPES`
   *   in `lambda/contract/event-catalogue.ts`)
   */
  readonly eventTypes?: string[];

  /**
   * Secret holding the Apideck API key that signs the webhooks: the key as a
   * plain string, or a JSON array of keys while rotating.
   *
   * A secret passed here keeps its own resource policy; only a created secret
   * gets the policy that denies reading it to everyone but the receiver.
   *
   * @default - a new secret with a random placeholder value, so that every
   *   request fails verification until the real API key is stored
   *   (README: "Set the API key")
   */
  readonly signingSecret?: secretsmanager.ISecret;

  /**
   * How long an `event_id` is remembered (the table's TTL). Whole days, from 3
   * (Apideck retries for ~28 hours, the handler keeps a 24-hour replay margin;
   * the rule is `replayWindowCoversRetries` in `lambda/contract/limits.ts`)
   * to 365. An event older than this minus the margin is refused.
   *
   * @default Duration.days(7)
   */
  readonly idempotencyRetention?: Duration;

  /**
   * Steady-state requests per second the stage accepts before answering 429
   * (Apideck retries those).
   *
   * @default 50
   */
  readonly throttlingRateLimit?: number;

  /**
   * Requests the stage accepts in a burst above the steady rate.
   *
   * @default 100
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Whether to put an AWS WAF web ACL in front of the stage: a 413 for bodies
   * over `maxBodyBytes` before the Lambda, a per-IP rate rule, the AWS IP
   * reputation list, and the AWS common rule set with every body-inspecting
   * rule counting only (docs/waf.md has the decision for each rule). Costs
   * about 9 USD a month (5 per web ACL, 1 per rule) plus 0.60 USD per million
   * requests. Without it, a body between about 6 and 10 MB is answered 5xx by
   * API Gateway, not 413 (Lambda's payload limit), and trips `api5xx`.
   *
   * @default true
   */
  readonly webApplicationFirewall?: boolean;

  /**
   * Requests one IP address may send in any five minutes before the web ACL
   * blocks it. Apideck delivers from few addresses, so keep this above your
   * peak delivery rate. Ignored without the web ACL.
   *
   * @default 6000 (20 per second, sustained)
   */
  readonly firewallRateLimitPerFiveMinutes?: number;

  /**
   * Largest request body accepted, in bytes: a larger one is answered 413 by
   * the web ACL before it reaches the Lambda (by the handler when the web ACL
   * is off). At most 262,144 (SNS's message limit): a larger event could never
   * be published.
   *
   * @default 262144
   */
  readonly maxBodyBytes?: number;

  /**
   * Memory of the Lambda function in MiB (CPU scales with it), from 128 to
   * 10,240.
   *
   * @default 256
   */
  readonly memorySizeMiB?: number;

  /**
   * Retention of the Lambda's logs and the API's access and execution logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer managed KMS key for the topics, the table, the secret it creates,
   * the log groups and the function's environment. The receiver's role gets
   * only the key actions those services need; for a key created in the same
   * app the key policy also gets a statement for CloudWatch Logs (an imported
   * key's owner must add it).
   *
   * @default - AWS managed keys (`aws/sns`, `aws/dynamodb`,
   *   `aws/secretsmanager`) and CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Other AWS accounts allowed to subscribe their SQS queues or Lambda
   * functions to the topics. This account's principals subscribe through IAM.
   *
   * @default - no other account
   */
  readonly subscriberAccountIds?: string[];

  /**
   * SSM parameter path under which each topic's ARN is published, as
   * `<prefix>/<event type>` and `<prefix>/unrouted` for the catch-all topic.
   * Give each receiver in an account and region its own prefix.
   *
   * @default '/apideck-webhooks/topics'
   */
  readonly topicParameterPrefix?: string;

  /**
   * Whether the idempotency table has deletion protection. When on, the table
   * is also retained when the stack is deleted; when off, it is deleted with it.
   *
   * @default true
   */
  readonly tableDeletionProtection?: boolean;

  /**
   * CloudWatch namespace of the handler's metrics.
   *
   * @default 'ApideckWebhooks'
   */
  readonly metricsNamespace?: string;

  /**
   * Whether to create the account's API Gateway CloudWatch role (an
   * `AWS::ApiGateway::Account` setting, one per account and region) that access
   * and execution logging need. Turn off when the account already has one.
   * The role is retained when the stack is deleted.
   *
   * @default true
   */
  readonly createApiGatewayCloudWatchRole?: boolean;

  /**
   * Email address to subscribe to the alarm topic. SNS sends it a confirmation
   * link first; nothing is delivered until it is followed.
   *
   * @default - no subscription: subscribe to `alarmTopic` yourself (email,
   *   a chat integration, an incident tool)
   */
  readonly alarmEmail?: string;

  /**
   * `SignatureRejected` deliveries in five minutes at which the
   * `signatureRejected` alarm fires: deliveries whose signature matches no
   * stored API key. A spike means the stored key is wrong (or was rotated in
   * Apideck only) or someone is probing the URL, whose background level varies
   * by deployment. Requests without the header are answered by API Gateway and
   * not counted. An integer from 1 to 1,000,000. Every other count alarm fires
   * on the first occurrence (docs/monitoring.md).
   *
   * @default 20
   */
  readonly signatureRejectedAlarmPerFiveMinutes?: number;

  /**
   * API Gateway p99 `Latency` above which a five-minute period breaches; the
   * `p99Latency` alarm fires after three consecutive breaching periods (one
   * slow cold start should not page anyone). Whole milliseconds from 1
   * millisecond to 29 seconds (API Gateway's integration timeout).
   *
   * @default Duration.seconds(3)
   */
  readonly p99LatencyAlarmThreshold?: Duration;

  /**
   * Turns on the `noEvents` alarm: it fires when no request reached the
   * handler for this long (Apideck stopped delivering, the webhook was disabled
   * or deleted, or something in front of the Lambda turns everything away).
   * Whole multiples of five minutes up to one day, or whole hours up to seven
   * days.
   *
   * @default - no such alarm (quiet periods are normal for many integrations)
   */
  readonly noEventsAlarmAfter?: Duration;

  /**
   * Whether to create the CloudWatch dashboard (3 USD a month beyond the
   * account's three free dashboards).
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Whether the event topics and the catch-all topic are SNS FIFO topics
   * (docs/fifo.md). Each publish then carries the event id as its
   * deduplication id, so SNS drops a second publish of the same event within
   * its 5-minute deduplication interval, and the connection as its message
   * group, so each connection's events keep their order. Subscribers must be
   * SQS queues (FIFO for order and deduplication, standard otherwise); HTTP(S),
   * email, SMS and Lambda subscriptions are refused at synth. FIFO topics cost
   * more per message and have per-topic and per-group throughput limits. The
   * alarm topic stays a standard topic (it notifies email and chat endpoints).
   * Changing this replaces every event topic (new ARNs in the SSM parameters).
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * How long each FIFO topic keeps every published message in its archive,
   * whole days from 1 to 365, so that a time range can be replayed to one
   * subscription with `npx apideck-webhooks replay` (docs/fifo.md). Only with
   * `fifo: true`; refused otherwise (standard topics have no archive).
   *
   * @default - no archive without `fifo`; `Duration.days(14)` with it (SQS's
   *   longest message retention, so every message a subscriber's queue could
   *   still have held can be replayed)
   */
  readonly archiveRetention?: Duration;
}

/** Options shared by `ApideckWebhookReceiver.subscribeQueue` and `ApideckWebhookReceiver.subscribeFunction`. */
export interface EventSubscriptionOptions {
  /**
   * Routed event types to subscribe to; `"*"` names the catch-all topic.
   */
  readonly eventTypes: string[];

  /**
   * Queue that receives the messages SNS could not deliver after its retries.
   * Required: without it an undeliverable event is lost.
   */
  readonly deadLetterQueue: sqs.IQueue;

  /**
   * Filter on the message attributes the handler sets: `event_type`,
   * `event_id`, `entity_id`, `connector`, `unified_api`, `consumer_id`.
   *
   * @default - every message of the topics
   */
  readonly filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };
}

/** Options of `ApideckWebhookReceiver.subscribeQueue`. */
export interface QueueSubscriptionOptions extends EventSubscriptionOptions {
  /**
   * Deliver the Apideck event itself as the SQS message body, with the SNS
   * message attributes as SQS message attributes, instead of the SNS envelope.
   *
   * @default false
   */
  readonly rawMessageDelivery?: boolean;
}

/** Options of the receiver's `metric*` methods for outcomes counted per event type. */
export interface ReceiverMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only this event type: a routed type, or any other (read from the
   * `unrouted` series, which the handler writes for every type without a
   * topic of its own).
   *
   * @default - the service total over every event type
   */
  readonly eventType?: string;
}
