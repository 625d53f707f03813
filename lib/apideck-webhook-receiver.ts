import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../lambda/contract/environment.ts';
import { CATCH_ALL_ROUTE } from '../lambda/contract/event-catalogue.ts';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../lambda/contract/idempotency-record.ts';
import {
  EVENT_TYPE_DIMENSION,
  METRIC_NAMES,
  type MetricName,
  UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
} from '../lambda/contract/metrics.ts';
import {
  estimateTopicArnsBytes,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  topicArnsFit,
} from './receiver/environment-size.ts';
import { EventTopics } from './receiver/event-topics.ts';
import { handlerEnvironment } from './receiver/handler-environment.ts';
import { IdempotencyTable } from './receiver/idempotency-table.ts';
import { allowCloudWatchLogsToUseKey } from './receiver/log-encryption.ts';
import { warnWithoutAlarmRecipient } from './receiver/monitoring/alarm-recipient.ts';
import { type ReceiverAlarmSet, ReceiverAlarms } from './receiver/monitoring/receiver-alarms.ts';
import { ReceiverDashboard } from './receiver/monitoring/receiver-dashboard.ts';
import { ReceiverMetrics } from './receiver/monitoring/receiver-metrics.ts';
import { type ReceiverSavedQueries, SavedQueries } from './receiver/monitoring/saved-queries.ts';
import { createReceiverFunction } from './receiver/receiver-function.ts';
import { registerReceiverParts } from './receiver/receiver-parts.ts';
import {
  ReceiverConfigurationError,
  type ResolvedReceiverProps,
  resolveReceiverProps,
} from './receiver/resolve-props.ts';
import { restrictSecretToRole, SigningSecret } from './receiver/signing-secret.ts';
import {
  deadLetterQueueRefusal,
  FIFO_FUNCTION_REFUSAL,
  queueRefusal,
  refuseSubscriptionsSnsWouldRefuse,
} from './receiver/subscription-rules.ts';
import { WebhookApi } from './receiver/webhook-api.ts';
import { WebhookWebAcl } from './receiver/webhook-web-acl.ts';
import type {
  ApideckWebhookReceiverProps,
  EventSubscriptionOptions,
  QueueSubscriptionOptions,
  ReceiverMetricOptions,
} from './receiver-props.ts';

/** The metric names the handler emits. */
const HANDLER_METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(METRIC_NAMES));

function isMetricName(name: string): name is MetricName {
  return HANDLER_METRIC_NAMES.has(name);
}

/** Several grants as the one `iam.Grant` a `grant*` method returns. */
function combineGrants(grants: readonly iam.Grant[]): iam.Grant {
  const [first, ...rest] = grants;
  if (!first) throw new Error('combineGrants: no grant to combine');
  return rest.reduce((combined, grant) => combined.combine(grant), first);
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
  /**
   * Route -> topic: each routed event type in the order given, then `"*"` for
   * the catch-all topic. `topic(eventType)` reads one and refuses an unknown type.
   */
  public readonly topics: Record<string, sns.Topic>;
  /** The topic of validly signed events whose type has no topic of its own. */
  public readonly catchAllTopic: sns.Topic;
  /** Route -> the SSM String parameter holding its topic's ARN. */
  public readonly topicParameters: Record<string, ssm.StringParameter>;
  /** The routed event types, in the order given. */
  public readonly eventTypes: string[];
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
  /** The alarms, by stable name (`noEvents` only when `noEventsAlarmAfter` is set). */
  public readonly alarms: ReceiverAlarmSet;
  /** The CloudWatch dashboard, unless turned off. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;
  /** The Logs Insights saved queries on the handler's log group, by stable name. */
  public readonly savedQueries: ReceiverSavedQueries;
  /** Whether the event topics are SNS FIFO topics (docs/fifo.md). */
  public readonly fifo: boolean;

  /** The topics by route, for lookups; `topics` is the same as a plain object. */
  private readonly routeTopics: ReadonlyMap<string, sns.Topic>;
  private readonly routeParameters: ReadonlyMap<string, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: ApideckWebhookReceiverProps = {}) {
    super(scope, id);
    const config = resolveReceiverProps(this.node.path, props);
    this.eventTypes = [...config.eventTypes];
    this.metricsNamespace = config.metricsNamespace;
    const key = config.encryptionKey;
    if (key) allowCloudWatchLogsToUseKey(this, key);

    const eventTopics = new EventTopics(this, 'Topics', {
      eventTypes: config.eventTypes,
      encryptionKey: key,
      subscriberAccountIds: config.subscriberAccountIds,
      parameterPrefix: config.topicParameterPrefix,
      fifo: config.fifo,
      archiveRetentionDays: config.archiveRetentionDays,
    });
    this.routeTopics = eventTopics.topics;
    this.topics = Object.fromEntries(this.routeTopics);
    this.warnIfTopicArnsMayNotFit(eventTopics);
    this.routeParameters = eventTopics.parameters;
    this.topicParameters = Object.fromEntries(this.routeParameters);
    this.catchAllTopic = this.topic(CATCH_ALL_ROUTE);
    this.fifo = config.fifo;
    refuseSubscriptionsSnsWouldRefuse(this, this.routeTopics.values(), config.fifo);

    this.table = new IdempotencyTable(this, 'IdempotencyTable', {
      deletionProtection: config.tableDeletionProtection,
      encryptionKey: key,
    }).table;

    let createdSecret: secretsmanager.Secret | undefined;
    if (config.signingSecret) {
      this.signingSecret = config.signingSecret;
    } else {
      createdSecret = new SigningSecret(this, 'SigningSecret', key).secret;
      // Secret's `secretFullArn` getter (`string | undefined`) trips exactOptionalPropertyTypes.
      this.signingSecret = createdSecret as secretsmanager.ISecret;
    }

    const stack = Stack.of(this);
    const environment = handlerEnvironment({
      tableName: this.table.tableName,
      topicArns: stack.toJsonString(
        Object.fromEntries([...this.routeTopics].map(([route, topic]) => [route, topic.topicArn])),
      ),
      signingSecretId: this.signingSecret.secretArn,
      retentionDays: config.retentionDays,
      maxBodyBytes: config.maxBodyBytes,
      metricsNamespace: config.metricsNamespace,
      fifo: config.fifo,
    });
    const receiver = createReceiverFunction(this, {
      memorySize: config.memorySizeMiB,
      logRetention: config.logRetention,
      encryptionKey: key,
      environment,
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
      maxBodyBytes: config.maxBodyBytes,
    });
    this.api = webhookApi.api;
    this.webhookUrl = webhookApi.webhookUrl;
    this.accessLogGroup = webhookApi.accessLogGroup;
    this.executionLogGroup = webhookApi.executionLogGroup;

    this.webAcl = this.createWebAcl(config);

    const metrics = new ReceiverMetrics({
      namespace: config.metricsNamespace,
      stage: this.api.deploymentStage,
      handler: this.handler,
      table: this.table,
      topics: this.routeTopics,
      eventTypes: this.eventTypes,
    });
    const alarms = new ReceiverAlarms(this, 'Alarms', {
      metrics,
      thresholds: config.alarms,
      encryptionKey: key,
      email: config.alarmEmail,
    });
    this.alarmTopic = alarms.topic;
    warnWithoutAlarmRecipient(this, this.alarmTopic);
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
    registerReceiverParts(this, {
      role: receiver.role,
      environment,
      maxWindowHours: config.retentionDays * 24 - ENVIRONMENT_DEFAULTS.replayMarginHours,
      logRetention: config.logRetention,
      encryptionKey: key,
    });
  }

  /**
   * The topic of a routed event type, or of the catch-all route `"*"`.
   *
   * @throws ReceiverConfigurationError for a type that has no topic of its own.
   */
  public topic(eventType: string): sns.Topic {
    const topic = this.routeTopics.get(eventType);
    if (!topic) {
      throw new ReceiverConfigurationError(
        this.node.path,
        `"${eventType}" has no topic; routed types are ${[...this.routeTopics.keys()].map((t) => `"${t}"`).join(', ')}`,
      );
    }
    return topic;
  }

  /**
   * Subscribes an SQS queue to the topics of some event types, with an
   * optional filter on the message attributes. The queue's policy gets a
   * statement per topic; a KMS-encrypted queue's key must let SNS use it.
   *
   * With `fifo: true` the queue may be a FIFO queue (order per connection and
   * deduplication) or a standard one (neither); on standard topics it must be
   * a standard queue, as SNS refuses to deliver a standard topic to a FIFO queue.
   * The dead-letter queue is of the topics' kind (FIFO with `fifo: true`).
   *
   * @throws ReceiverConfigurationError for a FIFO queue on standard topics, or
   *   a dead-letter queue of the other kind than the topics.
   * @returns one subscription per event type, in the order given
   */
  public subscribeQueue(queue: sqs.IQueue, options: QueueSubscriptionOptions): sns.Subscription[] {
    const refusal =
      queueRefusal(this.fifo, queue.fifo) ??
      deadLetterQueueRefusal(this.fifo, options.deadLetterQueue.fifo);
    if (refusal) throw new ReceiverConfigurationError(this.node.path, `subscribeQueue: ${refusal}`);
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
   * @throws ReceiverConfigurationError with `fifo: true`: SNS FIFO topics
   *   cannot invoke a function; subscribe an SQS FIFO queue with
   *   `subscribeQueue` and give the function that queue as its event source.
   * @returns one subscription per event type, in the order given
   */
  public subscribeFunction(
    fn: lambda.IFunction,
    options: EventSubscriptionOptions,
  ): sns.Subscription[] {
    if (this.fifo) {
      throw new ReceiverConfigurationError(
        this.node.path,
        `subscribeFunction: ${FIFO_FUNCTION_REFUSAL}`,
      );
    }
    const refusal = deadLetterQueueRefusal(false, options.deadLetterQueue.fifo);
    if (refusal) {
      throw new ReceiverConfigurationError(this.node.path, `subscribeFunction: ${refusal}`);
    }
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
   *
   * @param metricName one of the handler's metric names (`lambda/contract/metrics.ts`),
   *   such as `Published` or `SignatureRejected`
   * @throws ReceiverConfigurationError for a name the handler never emits.
   */
  public metric(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!isMetricName(metricName)) {
      throw new ReceiverConfigurationError(
        this.node.path,
        `metric: the handler emits no "${metricName}"; its metrics are ${Object.values(METRIC_NAMES).join(', ')}`,
      );
    }
    return new cloudwatch.Metric({
      statistic: cloudwatch.Stats.SUM,
      ...options,
      namespace: this.metricsNamespace,
      metricName,
    });
  }

  /**
   * Lets a principal subscribe to the topics of some event types (`"*"` for
   * the catch-all), e.g. a consumer stack that subscribes through the SNS API
   * rather than through this construct: `sns:Subscribe` on those topics.
   *
   * @returns one grant covering every topic named
   */
  public grantSubscribe(grantee: iam.IGrantable, ...eventTypes: string[]): iam.Grant {
    if (eventTypes.length === 0) {
      throw new ReceiverConfigurationError(
        this.node.path,
        'grantSubscribe: name at least one event type',
      );
    }
    return combineGrants(
      [...new Set(eventTypes)].map((eventType) => this.topic(eventType).grantSubscribe(grantee)),
    );
  }

  /**
   * Lets a principal read the SSM parameters that hold the topics' ARNs.
   *
   * @returns one grant covering every parameter
   */
  public grantReadTopicParameters(grantee: iam.IGrantable): iam.Grant {
    return combineGrants(
      [...this.routeParameters.values()].map((parameter) => parameter.grantRead(grantee)),
    );
  }

  /** `Published`: events published to SNS, in total or for one event type. */
  public metricPublished(options: ReceiverMetricOptions = {}): cloudwatch.Metric {
    return this.outcomeMetric(METRIC_NAMES.published, options);
  }

  /** `Duplicate`: deliveries of an event already published (answered 200 `duplicate`). */
  public metricDuplicate(options: ReceiverMetricOptions = {}): cloudwatch.Metric {
    return this.outcomeMetric(METRIC_NAMES.duplicate, options);
  }

  /** `Received`: every request that reached the handler. */
  public metricReceived(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_NAMES.received, options);
  }

  /** `PublishFailed`: publishes SNS refused or failed (answered 503, retried by Apideck). */
  public metricPublishFailed(options: ReceiverMetricOptions = {}): cloudwatch.Metric {
    return this.outcomeMetric(METRIC_NAMES.publishFailed, options);
  }

  private outcomeMetric(name: MetricName, options: ReceiverMetricOptions): cloudwatch.Metric {
    const { eventType, ...metricOptions } = options;
    return this.metric(name, {
      ...metricOptions,
      ...(eventType === undefined
        ? {}
        : { dimensionsMap: { [EVENT_TYPE_DIMENSION]: this.eventTypeDimension(eventType) } }),
    });
  }

  /** The handler writes `unrouted` for every type without a topic of its own. */
  private eventTypeDimension(eventType: string): string {
    return this.eventTypes.includes(eventType) ? eventType : UNROUTED_EVENT_TYPE_DIMENSION_VALUE;
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
    for (const topic of this.routeTopics.values()) topic.grantPublish(role);
    this.signingSecret.grantRead(role);
    if (createdSecret) restrictSecretToRole(createdSecret, role);
  }

  private createWebAcl(config: ResolvedReceiverProps): wafv2.CfnWebACL | undefined {
    const stage = this.api.deploymentStage;
    if (config.webApplicationFirewall) {
      return new WebhookWebAcl(this, 'Firewall', {
        stageArn: stage.stageArn,
        rateLimitPerFiveMinutes: config.firewallRateLimitPerFiveMinutes,
        maxBodyBytes: config.maxBodyBytes,
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
