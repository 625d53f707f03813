/**
 * The shapes of the Lambda events and context the kit reads: only the fields
 * it uses, so the package's types stand alone (no `@types/aws-lambda` needed),
 * while the `aws-lambda` types (`SQSEvent`, `SQSRecord`, `SNSEventRecord`,
 * `Context`) are assignable to them.
 */

/** One record of an SQS event (`SQSRecord`). */
export interface SqsRecord {
  /** The SQS message id: what `batchItemFailures` reports. */
  readonly messageId: string;
  /** The message body: the Apideck event (raw delivery) or an SNS notification. */
  readonly body: string;
  /** `aws:sqs`. */
  readonly eventSource: string;
  /** The queue's ARN (a FIFO queue's ends in `.fifo`). */
  readonly eventSourceARN: string;
  /** System attributes: `MessageGroupId` on FIFO queues, `ApproximateReceiveCount`. */
  readonly attributes: {
    readonly MessageGroupId?: string | undefined;
    readonly ApproximateReceiveCount?: string | undefined;
  };
}

/** An SQS event (`SQSEvent`). */
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** The answer that reports which records failed (`SQSBatchResponse`). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** An SNS notification: the body SNS puts on an SQS queue without raw delivery, or `Sns` of an SNS record. */
export interface SnsNotification {
  readonly Type?: string;
  readonly MessageId?: string;
  readonly TopicArn?: string;
  /** The published message: the Apideck event as JSON. */
  readonly Message: string;
}

/** One record of an SNS event, as a Lambda subscription receives it (`SNSEventRecord`). */
export interface SnsRecord {
  /** `aws:sns`. */
  readonly EventSource: string;
  readonly Sns: SnsNotification;
}

/** The Lambda context (`Context`): what the kit reads from it. */
export interface LambdaContext {
  readonly functionName: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}
