/**
 * Fixture builders for the consumer kit: the published event (a sample's
 * payload), and the SQS and SNS records and notifications that carry it.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { VaultConnectionEventType } from '../../lambda/contract/event-catalogue.ts';
import { fakeLambdaContext, loadEvent } from './apideck-events.ts';

export { fakeLambdaContext };

/** The message the receiver publishes for a sample event: its payload, with overrides. */
export function publishedEvent(
  type: VaultConnectionEventType = 'vault.connection.created',
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { ...loadEvent(type).payload, ...overrides };
}

/** The SNS notification SNS delivers to a queue without raw message delivery. */
export function snsNotification(message: string): Record<string, string> {
  return {
    Type: 'Notification',
    MessageId: '8f2f4c1e-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:VaultConnectionCreated',
    Message: message,
    Timestamp: '2026-11-26T12:00:01.000Z',
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
    SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
  };
}

/** What goes into an SQS record. */
export interface SqsRecordOptions {
  readonly messageId?: string;
  /** The body as is (default: the created sample, raw delivery). */
  readonly body?: string;
  /** On a FIFO queue: the message group. */
  readonly groupId?: string;
}

const STANDARD_QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:connections';
const FIFO_QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:connections.fifo';

/** An SQS record as Lambda's event source mapping delivers it. */
export function sqsRecord(options: SqsRecordOptions = {}): SQSRecord {
  const messageId = options.messageId ?? '059f36b4-87a3-44ab-83d2-661975830a7d';
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: options.body ?? JSON.stringify(publishedEvent()),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764158400000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1764158400001',
      ...(options.groupId === undefined
        ? {}
        : {
            MessageGroupId: options.groupId,
            MessageDeduplicationId: messageId,
            SequenceNumber: '18849496460467696128',
          }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.groupId === undefined ? STANDARD_QUEUE : FIFO_QUEUE,
    awsRegion: 'eu-west-1',
  };
}

/** An SQS event of the records. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
