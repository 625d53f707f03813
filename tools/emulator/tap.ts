/**
 * Reads what SNS delivered to the tap queue of `provisionReceiver`: every message
 * published to any of the receiver's topics, in its SNS envelope.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';
import { type EmulatorTarget, emulatorClientConfig } from './provision.ts';

/** One SNS publish, as seen through the tap. */
export interface TapDelivery {
  /** The topic it was published to. */
  readonly topicArn: string;
  /** SNS's message id (what `Publish` returned), not the SQS one. */
  readonly messageId: string;
  /** The published `Message`, JSON-parsed; the raw string when it is not JSON. */
  readonly body: unknown;
  /** The published message attributes: name -> `Value`. */
  readonly attributes: Record<string, string>;
}

/** Options of {@link drainTap}. */
export interface DrainTapOptions extends EmulatorTarget {
  readonly queueUrl: string;
  /** Return as soon as this many deliveries have been read. */
  readonly expectedCount?: number;
  /**
   * Return once this long has passed without a new delivery. Defaults to 10 s
   * with `expectedCount` (a timeout) and 1 s without (a quiet period).
   */
  readonly waitMs?: number;
}

/**
 * Receives, deletes and returns the tap's deliveries, in arrival order. Stops
 * when `expectedCount` is reached or after `waitMs` without anything new, so a
 * short `waitMs` without `expectedCount` checks that nothing (else) was published.
 */
export async function drainTap(options: DrainTapOptions): Promise<TapDelivery[]> {
  const { queueUrl, expectedCount } = options;
  const waitMs = options.waitMs ?? (expectedCount === undefined ? 1_000 : 10_000);
  const sqs = new SQSClient(emulatorClientConfig(options));
  const deliveries: TapDelivery[] = [];
  try {
    let quietUntil = Date.now() + waitMs;
    while (expectedCount === undefined || deliveries.length < expectedCount) {
      const remainingMs = quietUntil - Date.now();
      if (remainingMs <= 0) break;
      // Long-poll in whole seconds that never overrun the deadline; the last sub-second polls briefly.
      const waitSeconds = Math.min(20, Math.floor(remainingMs / 1_000));
      const messages = await takeTapMessages(sqs, queueUrl, waitSeconds);
      if (messages.length === 0) {
        if (waitSeconds === 0) await sleep(Math.min(100, remainingMs));
        continue;
      }
      for (const message of messages) {
        const delivery = parseSnsEnvelope(message.Body);
        if (delivery === undefined)
          throw new Error(`tap message is not an SNS envelope: ${message.Body}`);
        deliveries.push(delivery);
      }
      quietUntil = Date.now() + waitMs;
    }
    return deliveries;
  } finally {
    sqs.destroy();
  }
}

/**
 * One long poll of the tap queue: the messages received (at most 10), already
 * deleted from the queue. Shared by {@link drainTap} and the dev tap printer.
 */
export async function takeTapMessages(
  sqs: SQSClient,
  queueUrl: string,
  waitSeconds: number,
  abortSignal?: AbortSignal,
): Promise<Message[]> {
  const options = abortSignal === undefined ? {} : { abortSignal };
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      VisibilityTimeout: 60,
    }),
    options,
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return messages;
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      })),
    }),
    options,
  );
  return messages;
}

/** Reads an SQS message body holding an SNS envelope; `undefined` when it is not one. */
export function parseSnsEnvelope(body: string | undefined): TapDelivery | undefined {
  const parsed = parseJsonBody(body ?? '');
  const envelope = parsed.ok ? parsed.value : undefined;
  if (!isJsonObject(envelope) || typeof envelope.TopicArn !== 'string') return undefined;
  const attributes: Record<string, string> = {};
  if (isJsonObject(envelope.MessageAttributes)) {
    for (const [name, attribute] of Object.entries(envelope.MessageAttributes)) {
      if (isJsonObject(attribute) && typeof attribute.Value === 'string') {
        attributes[name] = attribute.Value;
      }
    }
  }
  const message = String(envelope.Message);
  const published = parseJsonBody(message);
  return {
    topicArn: envelope.TopicArn,
    messageId: String(envelope.MessageId),
    body: published.ok ? published.value : message,
    attributes,
  };
}
