import { Annotations, type Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../lambda/contract/environment.ts';
import { CATCH_ALL_ROUTE } from '../lambda/contract/event-catalogue.ts';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../lambda/contract/idempotency-record.ts';
import type { MetricName } from '../lambda/contract/metrics.ts';
import {
  estimateTopicArnsBytes,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  topicArnsFit,
} from './receiver/environment-size.ts';
import { EventTopics } from './receiver/event-topics.ts';
import { createIdempotencyTable } from './receiver/idempotency-table.ts';
import { allowCloudWatchLogsToUseKey } from './receiver/log-encryption.ts';
import type { ReceiverAlarmThresholds } from './receiver/monitoring/alarm-thresholds.ts';
import { type ReceiverAlarmSet, ReceiverAlarms } from './receiver/monitoring/receiver-alarms.ts';
import { ReceiverDashboard } from './receiver/monitoring/receiver-dashboard.ts';
import { ReceiverMetrics } from './receiver/monitoring/receiver-metrics.ts';
import { SavedQueries, type SavedQueryName } from './receiver/monitoring/saved-queries.ts';
import { createReceiverFunction } from './receiver/receiver-function.ts';
import { ReceiverConfigurationError, resolveReceiverProps } from './receiver/resolve-props.ts';
import { createSigningSecret, restrictSecretToRole } from './receiver/signing-secret.ts';
import { WebhookApi } from './receiver/webhook-api.ts';
import { WebhookWebAcl } from './receiver/webhook-web-acl.ts';

/** Properties of {@link ApideckWebhookReceiver}. Every default is the secure choice. */
export interface ApideckWebhookReceiverProps {
  /**
   * Apideck event types that get an SNS topic of their own. A validly signed
   * event of any other type is published to the catch-all topic, never dropped.
   *
   * @default - the 12 Vault connection event types (`VAULT_CONNECTION_EVENT_TYPES`
   *   in `lambda/contract/event-catalogue.ts`)
   */
  readonly eventTypes?: readonly string[];

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
   * (Apideck retries for ~28 hours, the handler keeps a 24-hour replay margin)
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
   * Whether to put an AWS WAF web ACL (AWS managed common rule set plus a per-IP
   * rate-based rule) in front of the stage. Costs about 7 USD a month plus
   * 0.60 USD per million requests.
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
   * Memory of the Lambda function in MiB (CPU scales with it).
   *
   * @default 256
   */
  readonly memorySize?: number;

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
  readonly subscriberAccountIds?: readonly string[];

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
   * Thresholds of the alarms, each with its own default; also turns on the
   * no-events alarm (`noEventsFor`).
   *
   * @default - every threshold's default, and no no-events alarm
   */
  readonly alarms?: ReceiverAlarmThresholds;

  /**
   * Whether to create the CloudWatch dashboard (3 USD a month beyond the
   * account's three free dashboards).
   *
   * @default true
   */
  readonly dashboard?: boolean;
}

/** Options shared by {@link ApideckWebhookReceiver.subscribeQueue} and {@link ApideckWebhookReceiver.subscribeFunction}. */
export interface EventSubscriptionOptions {
  /**
   * Routed event types to subscribe to; `"*"` names the catch-all topic.
   */
  readonly eventTypes: readonly string[];

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

/** Options of {@link ApideckWebhookReceiver.subscribeQueue}. */
export interface QueueSubscriptionOptions extends EventSubscriptionOptions {
  /**
   * Deliver the Apideck event itself as the SQS message body, with the SNS
   * message attributes as SQS message attributes, instead of the SNS envelope.
   *
   * @default false
   */
  readonly rawMessageDelivery?: boolean;
}

/**
 * Receives Apideck webhooks: a regional REST API (`POST /webhooks`) in front of
 * a Lambda that verifies the HMAC signature with the API key from Secrets
 * Manager, claims the event in DynamoDB and publishes it to the SNS topic of
 * its event type.
 */
export class ApideckWebhookReceiver extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The URL to register in Apideck as the webhook delivery URL. */
  public readonly webhookUrl: string;
  /** The Lambda function that receives the webhooks. */
  public readonly handler: lambda.Function;
  /** The idempotency table. */
  public readonly table: dynamodb.Table;
  /** The secret holding the Apideck API key. */
  public readonly signingSecret: secretsmanager.ISecret;
  /** Route -> topic: each routed event type, and `"*"` for the catch-all topic. */
  public readonly topics: ReadonlyMap<string, sns.Topic>;
  /** The topic of validly signed events whose type has no topic of its own. */
  public readonly catchAllTopic: sns.Topic;
  /** Route -> the SSM String parameter holding its topic's ARN. */
  public readonly topicParameters: ReadonlyMap<string, ssm.StringParameter>;
  /** The routed event types, in the order given. */
  public readonly eventTypes: readonly string[];
  /** The web ACL in front of the stage, when enabled. */
  public readonly webAcl: wafv2.CfnWebACL | undefined;
  /** The Lambda function's log group. */
  public readonly handlerLogGroup: logs.LogGroup;
  /** The API's JSON access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The API's execution (error) log group. */
  public readonly executionLogGroup: logs.LogGroup;
  /** CloudWatch namespace of the handler's metrics. */
  public readonly metricsNamespace: string;
  /**
   * The topic every alarm notifies, when it fires and when it recovers:
   * encrypted with a customer managed key (CloudWatch cannot use the AWS
   * managed one) and TLS-only.
   */
  public readonly alarmTopic: sns.Topic;
  /** The alarms, by stable name (`noEvents` only when `alarms.noEventsFor` is set). */
  public readonly alarms: ReceiverAlarmSet;
  /** The CloudWatch dashboard, unless turned off. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;
  /** The Logs Insights saved queries on the handler's log group, by stable name. */
  public readonly savedQueries: Readonly<Record<SavedQueryName, logs.QueryDefinition>>;

  constructor(scope: Construct, id: string, props: ApideckWebhookReceiverProps = {}) {
    super(scope, id);
    const config = resolveReceiverProps(this.node.path, props);
    this.eventTypes = config.eventTypes;
    this.metricsNamespace = config.metricsNamespace;
    const key = config.encryptionKey;
    if (key) allowCloudWatchLogsToUseKey(this, key);

    const eventTopics = new EventTopics(this, 'Topics', {
      eventTypes: config.eventTypes,
      encryptionKey: key,
      subscriberAccountIds: config.subscriberAccountIds,
      parameterPrefix: config.topicParameterPrefix,
    });
    this.topics = eventTopics.topics;
    this.warnIfTopicArnsMayNotFit(eventTopics);
    this.topicParameters = eventTopics.parameters;
    this.catchAllTopic = this.topic(CATCH_ALL_ROUTE);

    this.table = createIdempotencyTable(this, {
      deletionProtection: config.tableDeletionProtection,
      encryptionKey: key,
    });

    let createdSecret: secretsmanager.Secret | undefined;
    if (config.signingSecret) {
      this.signingSecret = config.signingSecret;
    } else {
      createdSecret = createSigningSecret(this, key);
      // Secret's `secretFullArn` getter (`string | undefined`) trips exactOptionalPropertyTypes.
      this.signingSecret = createdSecret as secretsmanager.ISecret;
    }

    const stack = Stack.of(this);
    const receiver = createReceiverFunction(this, {
      memorySize: config.memorySize,
      logRetention: config.logRetention,
      encryptionKey: key,
      environment: {
        [ENVIRONMENT.tableName]: this.table.tableName,
        [ENVIRONMENT.topicArns]: stack.toJsonString(
          Object.fromEntries([...this.topics].map(([route, topic]) => [route, topic.topicArn])),
        ),
        [ENVIRONMENT.signingSecretId]: this.signingSecret.secretArn,
        [ENVIRONMENT.retentionDays]: String(config.retentionDays),
        [ENVIRONMENT.metricsNamespace]: config.metricsNamespace,
      },
    });
    this.handler = receiver.function;
    this.handlerLogGroup = receiver.logGroup;

    this.grantHandlerAccess(receiver.role, createdSecret);

    const webhookApi = new WebhookApi(this, 'Api', {
      handler: this.handler,
      throttlingRateLimit: config.throttlingRateLimit,
      throttlingBurstLimit: config.throttlingBurstLimit,
      logRetention: config.logRetention,
      encryptionKey: key,
      createCloudWatchRole: config.createApiGatewayCloudWatchRole,
    });
    this.api = webhookApi.api;
    this.webhookUrl = webhookApi.webhookUrl;
    this.accessLogGroup = webhookApi.accessLogGroup;
    this.executionLogGroup = webhookApi.executionLogGroup;

    this.webAcl = this.createWebAcl(
      config.webApplicationFirewall,
      config.firewallRateLimitPerFiveMinutes,
    );

    const metrics = new ReceiverMetrics({
      namespace: config.metricsNamespace,
      stage: this.api.deploymentStage,
      handler: this.handler,
      table: this.table,
      topics: this.topics,
      eventTypes: this.eventTypes,
    });
    const alarms = new ReceiverAlarms(this, 'Alarms', {
      metrics,
      thresholds: config.alarms,
      encryptionKey: key,
      email: config.alarmEmail,
    });
    this.alarmTopic = alarms.topic;
    this.alarms = alarms.alarms;
    this.dashboard = config.dashboard
      ? new ReceiverDashboard(this, 'Dashboard', {
          metrics,
          alarms: Object.values(this.alarms),
        }).dashboard
      : undefined;
    this.savedQueries = new SavedQueries(this, 'SavedQueries', {
      logGroup: this.handlerLogGroup,
    }).queries;
  }

  /**
   * The topic of a routed event type, or of the catch-all route `"*"`.
   *
   * @throws ReceiverConfigurationError for a type that has no topic of its own.
   */
  public topic(eventType: string): sns.Topic {
    const topic = this.topics.get(eventType);
    if (!topic) {
      throw new ReceiverConfigurationError(
        this.node.path,
        `"${eventType}" has no topic; routed types are ${[...this.topics.keys()].map((t) => `"${t}"`).join(', ')}`,
      );
    }
    return topic;
  }

  /**
   * Subscribes an SQS queue to the topics of some event types, with an
   * optional filter on the message attributes. The queue's policy gets a
   * statement per topic; a KMS-encrypted queue's key must let SNS use it.
   *
   * @returns one subscription per event type, in the order given
   */
  public subscribeQueue(queue: sqs.IQueue, options: QueueSubscriptionOptions): sns.Subscription[] {
    return this.subscribe(
      options,
      () =>
        new subscriptions.SqsSubscription(queue, {
          deadLetterQueue: options.deadLetterQueue,
          rawMessageDelivery: options.rawMessageDelivery ?? false,
          ...(options.filterPolicy ? { filterPolicy: options.filterPolicy } : {}),
        }),
    );
  }

  /**
   * Subscribes a Lambda function to the topics of some event types, with an
   * optional filter on the message attributes.
   *
   * @returns one subscription per event type, in the order given
   */
  public subscribeFunction(
    fn: lambda.IFunction,
    options: EventSubscriptionOptions,
  ): sns.Subscription[] {
    return this.subscribe(
      options,
      () =>
        new subscriptions.LambdaSubscription(fn, {
          deadLetterQueue: options.deadLetterQueue,
          ...(options.filterPolicy ? { filterPolicy: options.filterPolicy } : {}),
        }),
    );
  }

  /**
   * A metric the handler emits (Embedded Metric Format) in this receiver's
   * namespace: service totals, or per event type with
   * `dimensionsMap: { EventType: '...' }`. Defaults to the sum over 5 minutes.
   */
  public metric(metricName: MetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      statistic: cloudwatch.Stats.SUM,
      ...options,
      namespace: this.metricsNamespace,
      metricName,
    });
  }

  /** Exactly what the handler does: item actions on its table, publish on its topics, read its secret. */
  private grantHandlerAccess(
    role: iam.IRole,
    createdSecret: secretsmanager.Secret | undefined,
  ): void {
    this.table.grant(role, ...IDEMPOTENCY_TABLE_ACTIONS);
    // Only with a customer key: the AWS managed keys' policies already admit the account's principals.
    const tableKey = this.table.encryptionKey;
    if (tableKey) {
      tableKey.grantEncryptDecrypt(role);
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            'Granted by topic.grantPublish (SNS server-side encryption needs kms:GenerateDataKey* to publish) and by the table key grant (DynamoDB customer-key tables need kms:ReEncrypt* and kms:GenerateDataKey*), on the one configured key ARN only.',
        });
      }
    }
    for (const topic of this.topics.values()) topic.grantPublish(role);
    this.signingSecret.grantRead(role);
    if (createdSecret) restrictSecretToRole(createdSecret, role);
  }

  private createWebAcl(
    enabled: boolean,
    rateLimitPerFiveMinutes: number,
  ): wafv2.CfnWebACL | undefined {
    const stage = this.api.deploymentStage;
    if (enabled) {
      return new WebhookWebAcl(this, 'Firewall', {
        stageArn: stage.stageArn,
        rateLimitPerFiveMinutes,
      }).webAcl;
    }
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'The web ACL was turned off with webApplicationFirewall: false by the operator of this stack. Requests are still throttled at the stage, unsigned ones are refused by the request validator, and every event is HMAC-verified by the Lambda.',
    });
    return undefined;
  }

  private warnIfTopicArnsMayNotFit(eventTopics: EventTopics): void {
    const stack = Stack.of(this);
    const pathId = eventTopics.node.path.slice(stack.node.path.length).replaceAll('/', '');
    const estimate = estimateTopicArnsBytes(stack.stackName, pathId, this.eventTypes);
    if (!topicArnsFit(estimate)) {
      Annotations.of(this).addWarningV2(
        'apideck-webhooks:topic-arns-size',
        `${this.eventTypes.length} routed event types make ${ENVIRONMENT.topicArns} up to ~${estimate} bytes; Lambda refuses environments over ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes in total. Route fewer types (others reach the catch-all topic) or use a shorter stack name.`,
      );
    }
  }

  private subscribe(
    options: EventSubscriptionOptions,
    subscription: () => sns.ITopicSubscription,
  ): sns.Subscription[] {
    if (options.eventTypes.length === 0) {
      throw new ReceiverConfigurationError(
        this.node.path,
        'subscribe: name at least one event type',
      );
    }
    const topics = [...new Set(options.eventTypes)].map((eventType) => this.topic(eventType));
    return topics.map((topic) => topic.addSubscription(subscription()));
  }
}
