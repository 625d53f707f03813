import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ApideckWebhookReceiver } from '../apideck-webhook-receiver.ts';

/** Properties of `ApideckEventConsumer`. Every default is the secure choice. */
export interface ApideckEventConsumerProps {
  /** The receiver whose topics the consumer's queue subscribes to. */
  readonly receiver: ApideckWebhookReceiver;

  /**
   * Routed event types whose topics the queue subscribes to; `"*"` names the
   * catch-all topic. At least one.
   */
  readonly eventTypes: string[];

  /**
   * The function that processes the queue's records, typically one built
   * with `createSqsHandler` from `apideck-webhooks-aws/consumer`. It gets the
   * queue as its event source (with partial batch responses), the right to
   * consume it and to read and write the idempotency table and, when it is a
   * `lambda.Function` of this app (or an alias or version of one), the
   * environment variable `APIDECK_IDEMPOTENCY_TABLE_NAME`. Any other function
   * (an imported one) must be given that variable by its owner: synth warns.
   */
  readonly handler: lambda.IFunction;

  /**
   * The handler's timeout, from which the queue's visibility timeout is
   * computed. Set it for an imported function whose timeout is shorter than
   * the default.
   *
   * @default - the function's own timeout (3 seconds when it sets none) for a
   *   `lambda.Function` of this app or an alias or version of one; for any
   *   other function `Duration.minutes(15)`, Lambda's maximum, so that the
   *   visibility timeout is six times whatever its timeout is (synth warns)
   */
  readonly handlerTimeout?: Duration;

  /**
   * How long a record received by the handler stays hidden from other
   * receivers. At least six times the handler's timeout (AWS's rule for an
   * SQS event source: Lambda may retry a throttled batch within it); less is
   * refused at synth, because a record would then become visible again while
   * its first run is still going and run twice at once.
   *
   * @default - six times the handler's timeout, plus `maxBatchingWindow`
   *   (records wait up to that long, already received, before the handler runs)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * Receives of a record (each a failed or timed-out handler run) before SQS
   * moves it to the dead-letter queue. From 1 to 1,000.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Most records per handler invocation. From 1 to 10, or to 10,000 with a
   * `maxBatchingWindow` on a standard queue.
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers records before invoking the handler, up to 5
   * minutes. Not available on FIFO queues (refused at synth).
   *
   * @default - none: the handler is invoked as soon as records are available
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Most concurrent handler invocations this event source starts, from 2 to
   * 1,000; for a downstream system with a rate limit.
   *
   * @default - no limit but the function's own concurrency
   */
  readonly maxConcurrency?: number;

  /**
   * How long the queue keeps a record nobody processes (a disabled event
   * source, a function throttled to zero), from 1 minute to 14 days. The
   * dead-letter queue keeps records 14 days.
   *
   * @default Duration.days(14)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Only events of these connectors (the `connector` message attribute, e.g.
   * `salesforce`), filtered by SNS before they reach the queue.
   *
   * @default - every connector
   */
  readonly connectors?: string[];

  /**
   * Only events of these unified APIs (the `unified_api` message attribute,
   * e.g. `crm`), filtered by SNS before they reach the queue.
   *
   * @default - every unified API
   */
  readonly unifiedApis?: string[];

  /**
   * The table in which the handler records the events it completed. It must
   * have the layout of Powertools Idempotency: a string partition key `id`,
   * no sort key, and time to live on `expiration`; a table defined in this
   * app is checked at synth (an imported one cannot be). Pass the table of
   * another consumer to share it.
   *
   * @default - a new table of that layout: on demand, point-in-time recovery,
   *   encrypted with `encryptionKey` or else the AWS managed key
   *   `aws/dynamodb`, deletion protection as `tableDeletionProtection` says
   */
  readonly table?: dynamodb.ITable;

  /**
   * Whether the created idempotency table has deletion protection. When on,
   * the table is also retained when the stack is deleted; when off, it is
   * deleted with it. Ignored with `table`.
   *
   * @default true
   */
  readonly tableDeletionProtection?: boolean;

  /**
   * Customer managed KMS key for the queue, the dead-letter queue and the
   * created table. SNS is allowed to use it for the receiver's topics (for a
   * key of this app; an imported key's owner must allow `sns.amazonaws.com`
   * `kms:Decrypt` and `kms:GenerateDataKey`).
   *
   * @default - SQS managed encryption (SSE-SQS) for the queues and the AWS
   *   managed key `aws/dynamodb` for the table
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The topic the dead-letter queue's alarm notifies when it fires and when it
   * recovers. CloudWatch must be allowed to publish to it (and to use its key).
   *
   * @default - the receiver's alarm topic
   */
  readonly alarmTopic?: sns.ITopic;
}
