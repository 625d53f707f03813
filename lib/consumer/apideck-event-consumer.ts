import { Annotations, Duration, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONSUMER_ENVIRONMENT } from '../../lambda/contract/consumer-environment.ts';
import { CONSUMER_IDEMPOTENCY_TABLE } from '../../lambda/contract/consumer-idempotency-table.ts';
import { CONSUMER_METRICS } from '../../lambda/contract/consumer-metrics.ts';
import { ReceiverConfigurationError } from '../receiver/configuration-error.ts';
import { definedFunction, LAMBDA_MAX_TIMEOUT, timeoutOf } from './consumer-function.ts';
import type { ApideckEventConsumerProps } from './consumer-props.ts';
import { createConsumerTable, tableLayoutRefusal } from './consumer-table.ts';

/** The defaults of `ApideckEventConsumerProps` that are plain values; each is stated in its TSDoc. */
export const CONSUMER_DEFAULTS = {
  maxReceiveCount: 5,
  batchSize: 10,
  retentionPeriod: Duration.days(14),
  tableDeletionProtection: true,
} as const;

/** SQS's longest retention: the dead-letter queue keeps what it holds as long as SQS allows. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The idempotency table each function of this app reads, so that one function never gets two. */
const tableOfFunction = new WeakMap<
  lambda.Function,
  { table: dynamodb.ITable; consumer: string }
>();

/**
 * A subscriber of Apideck events, ready for `createSqsHandler` from
 * `apideck-webhooks-aws/consumer`: an encrypted, TLS-only SQS queue (FIFO when
 * the receiver's topics are) with a dead-letter queue, subscribed with raw
 * message delivery to the topics of some event types; the handler invoked
 * from it with partial batch responses; an idempotency table the handler
 * records completed events in; and alarms on the dead-letter queue and on
 * the handler's possible duplicates.
 */
export class ApideckEventConsumer extends Construct {
  /** The queue the topics deliver to and the handler reads. */
  public readonly queue: sqs.Queue;
  /**
   * The queue of records the handler failed `maxReceiveCount` times, and of
   * messages SNS could not deliver to `queue`. Kept 14 days.
   */
  public readonly deadLetterQueue: sqs.Queue;
  /** The table the handler records the events it completed in: created, or the one passed in. */
  public readonly table: dynamodb.ITable;
  /** Fires when the dead-letter queue holds a message; notifies when it fires and when it recovers. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;
  /**
   * Fires when the handler counts a possible duplicate (`metricPossibleDuplicate`);
   * notifies when it fires and when it recovers.
   */
  public readonly possibleDuplicateAlarm: cloudwatch.Alarm;

  /** The name the handler's runtime reports (`AWS_LAMBDA_FUNCTION_NAME`): never an alias's. */
  private readonly handlerFunctionName: string;

  constructor(scope: Construct, id: string, props: ApideckEventConsumerProps) {
    super(scope, id);
    const fn = definedFunction(props.handler);
    this.handlerFunctionName = (fn ?? props.handler).functionName;
    const fifo = props.receiver.fifo;
    const maxReceiveCount = props.maxReceiveCount ?? CONSUMER_DEFAULTS.maxReceiveCount;
    this.refuse(maxReceiveCountRefusal(maxReceiveCount));
    this.refuse(emptyFilterRefusal('connectors', props.connectors));
    this.refuse(emptyFilterRefusal('unifiedApis', props.unifiedApis));
    if (props.table) this.refuse(tableLayoutRefusal(props.table));
    this.refuse(
      fifo && props.maxBatchingWindow
        ? 'maxBatchingWindow: Lambda has no batching window for FIFO queues; leave it unset with a FIFO receiver'
        : undefined,
    );
    const visibilityTimeout = this.visibilityTimeout(props, fn);

    const encryption = props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED };
    const common: sqs.QueueProps = {
      ...encryption,
      enforceSSL: true,
      ...(fifo
        ? {
            fifo: true,
            // SNS passes each message's deduplication id (the event id) on; never the body's hash.
            contentBasedDeduplication: false,
            // An event id always comes in the same message group (its connection), so
            // deduplicating per group is deduplicating per queue, without the queue-wide limit.
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...common,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        "The consumer's dead-letter queue is the end of the redrive chain, of its queue's and of its SNS subscriptions'. It is alarmed (deadLetterQueueAlarm) and kept 14 days, SQS's longest retention.",
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? CONSUMER_DEFAULTS.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    props.receiver.subscribeQueue(this.queue, {
      eventTypes: props.eventTypes,
      deadLetterQueue: this.deadLetterQueue,
      rawMessageDelivery: true,
      ...filterPolicy(props),
    });

    // Table's `tableStreamArn` getter (`string | undefined`) trips exactOptionalPropertyTypes.
    this.table = props.table ?? (this.createTable(props) as dynamodb.ITable);
    this.connectHandler(props, fn);
    const alarmAction = new actions.SnsAction(props.alarmTopic ?? props.receiver.alarmTopic);
    this.deadLetterQueueAlarm = notifyBothWays(
      this.alarmOnDeadLetters(maxReceiveCount),
      alarmAction,
    );
    this.possibleDuplicateAlarm = notifyBothWays(this.alarmOnPossibleDuplicates(), alarmAction);
  }

  /**
   * `PossibleDuplicate`: events the handler completed but could not record as
   * completed in the table (DynamoDB failed after the handler succeeded), so
   * their retry runs the handler again. Counted by `createSqsHandler`.
   * Defaults to the sum over 5 minutes.
   */
  public metricPossibleDuplicate(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...options,
      namespace: CONSUMER_METRICS.namespace,
      metricName: CONSUMER_METRICS.possibleDuplicate,
      dimensionsMap: { [CONSUMER_METRICS.functionNameDimension]: this.handlerFunctionName },
    });
  }

  private refuse(refusal: string | undefined): void {
    if (refusal) throw new ReceiverConfigurationError(this.node.path, refusal);
  }

  /** The visibility timeout: given (and at least six times the handler's timeout), or computed. */
  private visibilityTimeout(
    props: ApideckEventConsumerProps,
    fn: lambda.Function | undefined,
  ): Duration {
    const timeout = this.handlerTimeout(props, fn);
    const given = props.visibilityTimeout;
    const timeoutSeconds = knownSeconds(timeout);
    if (timeoutSeconds === undefined) {
      if (given) return given;
      this.refuse(
        "the handler's timeout is known only at deploy time (a token): set visibilityTimeout to at least six times it",
      );
    }
    const minimum = Duration.seconds((timeoutSeconds ?? 0) * 6);
    if (!given) {
      return Duration.seconds(minimum.toSeconds() + (props.maxBatchingWindow?.toSeconds() ?? 0));
    }
    const givenSeconds = knownSeconds(given);
    this.refuse(
      givenSeconds !== undefined && givenSeconds < minimum.toSeconds()
        ? `visibilityTimeout (${given.toHumanString()}) is below six times the handler's timeout (6 × ${timeout.toHumanString()} = ${minimum.toHumanString()}): a record would become visible again while its first run is still going, and run twice at once. Raise visibilityTimeout to at least ${minimum.toHumanString()}, or leave it unset`
        : undefined,
    );
    return given;
  }

  /** The timeout the visibility timeout is computed from: never below what the function really has. */
  private handlerTimeout(
    props: ApideckEventConsumerProps,
    fn: lambda.Function | undefined,
  ): Duration {
    const given = props.handlerTimeout;
    const givenSeconds = given && knownSeconds(given);
    this.refuse(
      givenSeconds !== undefined && givenSeconds > LAMBDA_MAX_TIMEOUT.toSeconds()
        ? `handlerTimeout (${given?.toHumanString()}) is above Lambda's maximum of ${LAMBDA_MAX_TIMEOUT.toHumanString()}`
        : undefined,
    );
    if (fn) {
      const own = timeoutOf(fn);
      const ownSeconds = knownSeconds(own);
      this.refuse(
        givenSeconds !== undefined && ownSeconds !== undefined && givenSeconds < ownSeconds
          ? `handlerTimeout (${given?.toHumanString()}) is shorter than the timeout of ${fn.node.path} (${own.toHumanString()}); leave it unset to use the function's own`
          : undefined,
      );
      return given ?? own;
    }
    if (given) return given;
    Annotations.of(this).addWarningV2(
      'apideck-webhooks:consumer-handler-timeout',
      `The timeout of ${props.handler.node.path} cannot be read (it is not a lambda.Function of this app): the visibility timeout assumes Lambda's maximum, ${LAMBDA_MAX_TIMEOUT.toHumanString()}, so a failed record is retried only after ${Duration.seconds(LAMBDA_MAX_TIMEOUT.toSeconds() * 6).toHumanString()}. Set handlerTimeout to the function's timeout.`,
    );
    return LAMBDA_MAX_TIMEOUT;
  }

  private createTable(props: ApideckEventConsumerProps): dynamodb.Table {
    return createConsumerTable(this, 'IdempotencyTable', {
      deletionProtection:
        props.tableDeletionProtection ?? CONSUMER_DEFAULTS.tableDeletionProtection,
      encryptionKey: props.encryptionKey,
    });
  }

  /** The event source, the table grants and the table's name in the function's environment. */
  private connectHandler(props: ApideckEventConsumerProps, fn: lambda.Function | undefined): void {
    const handler = props.handler;
    const source = new SqsEventSource(this.queue, {
      reportBatchItemFailures: true,
      batchSize: props.batchSize ?? CONSUMER_DEFAULTS.batchSize,
      ...(props.maxBatchingWindow ? { maxBatchingWindow: props.maxBatchingWindow } : {}),
      ...(props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency }),
    });
    handler.addEventSource(source);
    const mapping = handler.node.children.find(
      (child) =>
        child instanceof lambda.EventSourceMapping &&
        child.eventSourceMappingId === source.eventSourceMappingId,
    );
    if (mapping) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "Lambda offers on-failure destinations for stream and Kafka event sources only, not for SQS: a record the handler fails maxReceiveCount times moves to the consumer's dead-letter queue by the queue's redrive policy, and that queue is alarmed.",
      });
    }
    this.table.grant(handler, ...CONSUMER_IDEMPOTENCY_TABLE.actions);
    const key = this.table.encryptionKey;
    if (key) {
      key.grantEncryptDecrypt(handler);
      if (handler.role) {
        for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
          Validations.of(handler.role).acknowledge({
            id: `AwsSolutions-IAM5[Action::${action}]`,
            reason:
              "Granted by ApideckEventConsumer on its idempotency table's customer managed key only: DynamoDB tables with a customer key need kms:GenerateDataKey* and kms:ReEncrypt* of the principal that reads and writes them.",
          });
        }
      }
    }
    this.setTableName(props, fn);
  }

  /** Only a function of this app can be configured; an imported one's owner sets the variable. */
  private setTableName(props: ApideckEventConsumerProps, fn: lambda.Function | undefined): void {
    const name = CONSUMER_ENVIRONMENT.idempotencyTableName;
    if (!fn) {
      Annotations.of(this).addWarningV2(
        'apideck-webhooks:consumer-environment',
        `${props.handler.node.path} is not a lambda.Function of this app, so its environment cannot be set here: give it ${name} = the name of ${this.table.node.path} yourself, or it cannot record the events it completes.`,
      );
      return;
    }
    const earlier = tableOfFunction.get(fn);
    if (earlier && earlier.table !== this.table) {
      this.refuse(
        `${fn.node.path} already records its events in the table of ${earlier.consumer}, and reads one table only (${name}); pass that consumer's table as this one's \`table\`, or name all the event types in one consumer`,
      );
    }
    tableOfFunction.set(fn, { table: this.table, consumer: this.node.path });
    fn.addEnvironment(name, this.table.tableName);
  }

  private alarmOnDeadLetters(maxReceiveCount: number): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, 'DeadLetterQueueAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops sending metrics for a queue that stays empty and unused: that is no dead letter.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Apideck events wait in the dead-letter queue of the consumer ${this.node.path}: the handler failed them ${maxReceiveCount} times, or SNS could not deliver them to its queue. Read the handler's logs for the cause and fix it, then move the messages back to the queue (SQS console: Start DLQ redrive; or aws sqs start-message-move-task). Events the handler already completed are skipped. SQS deletes a message 14 days after it entered the queue (standard) or the dead-letter queue (FIFO).`,
    });
  }

  private alarmOnPossibleDuplicates(): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, 'PossibleDuplicateAlarm', {
      metric: this.metricPossibleDuplicate(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // The handler writes the metric only when it happens.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `The handler of the consumer ${this.node.path} completed an Apideck event but could not record it as completed in the idempotency table, so the event's retry runs the handler again: a possible duplicate side effect. The handler's log line "handler completed, but its completion could not be recorded" names the event id: check that event's side effects, and why the table failed (throttling, permissions, an outage).`,
    });
  }
}

function notifyBothWays(alarm: cloudwatch.Alarm, action: actions.SnsAction): cloudwatch.Alarm {
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** A duration's seconds, or undefined when it is known only at deploy time. */
function knownSeconds(duration: Duration): number | undefined {
  const seconds = duration.toSeconds();
  return Token.isUnresolved(seconds) ? undefined : seconds;
}

function maxReceiveCountRefusal(count: number): string | undefined {
  return Number.isInteger(count) && count >= 1 && count <= 1000
    ? undefined
    : `maxReceiveCount must be a whole number from 1 to 1000 (got ${count})`;
}

function emptyFilterRefusal(prop: string, values: string[] | undefined): string | undefined {
  return values?.length === 0 ? `${prop}: name at least one, or leave it unset for all` : undefined;
}

/** SNS filter on the connector and unified API attributes the receiver publishes. */
function filterPolicy(props: ApideckEventConsumerProps): {
  filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };
} {
  const policy: { [attribute: string]: sns.SubscriptionFilter } = {};
  if (props.connectors) {
    policy.connector = sns.SubscriptionFilter.stringFilter({ allowlist: props.connectors });
  }
  if (props.unifiedApis) {
    policy.unified_api = sns.SubscriptionFilter.stringFilter({ allowlist: props.unifiedApis });
  }
  return Object.keys(policy).length === 0 ? {} : { filterPolicy: policy };
}
