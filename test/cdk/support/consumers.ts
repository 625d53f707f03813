/** What a downstream team subscribes to the receiver's topics, built as that team would. */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Options of {@link consumerQueue}. */
export interface ConsumerQueueOptions {
  /** A FIFO queue (default false). */
  readonly fifo?: boolean;
  /** Where messages go after five failed receives (default none). */
  readonly deadLetterQueue?: sqs.IQueue;
}

/** An encrypted, TLS-only queue that keeps messages 14 days. */
export function consumerQueue(
  scope: Construct,
  id: string,
  options: ConsumerQueueOptions = {},
): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    ...(options.fifo === true ? { fifo: true } : {}),
    ...(options.deadLetterQueue === undefined
      ? {}
      : { deadLetterQueue: { queue: options.deadLetterQueue, maxReceiveCount: 5 } }),
  });
}

/** A Lambda function with an inline handler that does nothing. */
export function consumerFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
}
