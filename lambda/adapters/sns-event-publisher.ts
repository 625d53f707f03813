import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type CallOptions, MIN_CALL_MS } from '../domain/deadline.ts';
import type { EventPublisher } from '../domain/ports.ts';
import type { EventMessage } from '../domain/sns-message.ts';
import { PublishError } from '../errors.ts';
import { budgetMs, CallTimeoutError, callWithin } from './call-within.ts';
import { classifyFailure, isRetryableRefusal } from './network-errors.ts';

/** Attempts of one publish, counting only those SNS cannot have accepted before them. */
export const PUBLISH_MAX_ATTEMPTS = 3;

/** Back-off before the second attempt; doubled after each. */
const FIRST_BACKOFF_MS = 50;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * {@link EventPublisher} on SNS: one `Publish` per event, attributes as `String`s.
 *
 * The client must be built with `maxAttempts: 1`: this adapter retries itself,
 * and only after a failure that proves SNS did not take the message (no
 * connection, a throttle, a 503). A request whose answer was lost is never
 * repeated here; it fails with `maybePublished`, so the receiver counts the
 * possible duplicate instead of hiding it behind an SDK retry. On a FIFO topic
 * (the message carries a deduplication id) such a publish is repeated, since
 * SNS delivers a repeat within its deduplication interval only once.
 */
export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly now: () => number = Date.now,
  ) {}

  async publish(topicArn: string, message: EventMessage, options?: CallOptions): Promise<string> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      attributes[name] = { DataType: 'String', StringValue: value };
    }
    const command = new PublishCommand({
      TopicArn: topicArn,
      Message: message.body,
      MessageAttributes: attributes,
      ...(message.fifo === undefined
        ? {}
        : {
            MessageDeduplicationId: message.fifo.deduplicationId,
            MessageGroupId: message.fifo.groupId,
          }),
    });
    // A FIFO topic deduplicates a repeat of the same id within its interval: repeating is safe.
    const repeatable = message.fifo !== undefined;
    const endsAtMs = this.now() + budgetMs(options);
    for (let attempt = 1; ; attempt++) {
      try {
        const { MessageId } = await callWithin(endsAtMs - this.now(), (abortSignal) =>
          this.client.send(command, { abortSignal }),
        );
        if (MessageId === undefined) {
          throw new PublishError('SNS returned no message id', { maybePublished: true });
        }
        return MessageId;
      } catch (error) {
        if (error instanceof PublishError) throw error;
        const kind = error instanceof CallTimeoutError ? 'uncertain' : classifyFailure(error);
        if (kind === 'uncertain' && !repeatable) {
          throw new PublishError('publishing to SNS failed after the request was sent', {
            cause: error,
            maybePublished: true,
          });
        }
        const backoffMs = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
        const retryable = kind !== 'refused' || isRetryableRefusal(error);
        if (
          !retryable ||
          attempt >= PUBLISH_MAX_ATTEMPTS ||
          this.now() + backoffMs + MIN_CALL_MS > endsAtMs
        ) {
          throw new PublishError('publishing to SNS failed', {
            cause: error,
            maybePublished: kind === 'uncertain',
          });
        }
        await sleep(backoffMs);
      }
    }
  }
}
