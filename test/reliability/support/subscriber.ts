/**
 * The subscriber's side of the end-to-end scenario: a ledger of side effects
 * (each completed run of the subscriber's own code, by event) and the consumer
 * faults injected around it, each once for the events chosen for it:
 * - a crash after the side effect, before the kit records the completion:
 *   the run never returns and the invocation ends as a killed container's does
 *   (no answer, nothing deleted); the batch's other records, running beside it
 *   in the same process, cannot be killed and go on;
 * - a visibility timeout that ends mid-handler: the message is made visible
 *   again while the run goes on, and the run waits until another invocation
 *   received it and ended (or a cap, well inside the function timeout);
 * - a duplicate message: a copy of the message sent to the queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { isJsonObject, parseJsonBody } from '../../../lambda/domain/json-body.ts';
import { currentInvocation, type EventSourceObserver } from './event-source.ts';
import { increment } from './result.ts';

/** The consumer faults, by the name the report gives them. */
export const CONSUMER_FAULTS = {
  crash: 'crash after the side effect',
  visibility: 'visibility timeout ends mid-handler',
  duplicate: 'duplicate message',
} as const;

export type ConsumerFault = keyof typeof CONSUMER_FAULTS;

/** Options of {@link faultySubscriber}. */
export interface SubscriberOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The events each fault is injected into (once each). */
  readonly plan: Readonly<Record<ConsumerFault, Iterable<string>>>;
  /** How long a run whose visibility ended waits for the other invocation at most. */
  readonly overlapCapMs: number;
}

/** The event id a record carries: its `event_id` message attribute (raw delivery), else the body's. */
export function recordEventId(record: SQSRecord): string | undefined {
  const attribute = record.messageAttributes.event_id?.stringValue;
  if (attribute !== undefined) return attribute;
  const body = parseJsonBody(record.body);
  const id = body.ok && isJsonObject(body.value) ? body.value.event_id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The side effect to call from the subscriber's handlers, its ledger, and the event source's observer. */
export function faultySubscriber(options: SubscriberOptions) {
  const { sqs, queueUrl } = options;
  const pending = {
    crash: new Set(options.plan.crash),
    visibility: new Set(options.plan.visibility),
    duplicate: new Set(options.plan.duplicate),
  };
  /** Completed runs of the subscriber's code, by event id. */
  const runs = new Map<string, number>();
  /** Injected faults, by kind, then by event id. */
  const injected: Record<ConsumerFault, Map<string, number>> = {
    crash: new Map(),
    visibility: new Map(),
    duplicate: new Map(),
  };
  /** Every distinct SQS message received, by message id: its event id. */
  const messages = new Map<string, string>();
  /** The message ids of the injected copies. */
  const copies = new Set<string>();
  /** Runs waiting, by message id, for another invocation of their message to end. */
  const overlapping = new Map<string, () => void>();
  /** How the other invocation answered for a message whose visibility ended mid-run. */
  const overlapOutcomes = new Map<string, number>();

  async function expireMidRun(eventId: string): Promise<void> {
    const record = currentInvocation()?.records.find((r) => recordEventId(r) === eventId);
    if (record === undefined) throw new Error(`no record of event ${eventId} in this invocation`);
    increment(injected.visibility, eventId);
    const otherEnded = new Promise<void>((resolve) => overlapping.set(record.messageId, resolve));
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const ended = await Promise.race([
      otherEnded.then(() => true),
      sleep(options.overlapCapMs).then(() => false),
    ]);
    overlapping.delete(record.messageId);
    if (!ended) increment(overlapOutcomes, 'not received again within the cap');
  }

  const observer: EventSourceObserver = {
    async received(records) {
      for (const record of records) {
        const eventId = recordEventId(record) ?? '(no event id)';
        messages.set(record.messageId, eventId);
        if (!pending.duplicate.delete(eventId)) continue;
        const copy = await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: record.body,
            MessageAttributes: Object.fromEntries(
              Object.entries(record.messageAttributes).map(([name, value]) => [
                name,
                { DataType: value.dataType, StringValue: value.stringValue },
              ]),
            ),
          }),
        );
        if (copy.MessageId !== undefined) copies.add(copy.MessageId);
        increment(injected.duplicate, eventId);
      }
    },
    settled(records, outcome) {
      for (const record of records) {
        const waiting = overlapping.get(record.messageId);
        if (waiting === undefined) continue;
        const answer =
          outcome.kind !== 'answered'
            ? outcome.kind
            : outcome.failed.has(record.messageId)
              ? 'reported failed'
              : 'acknowledged';
        increment(overlapOutcomes, answer);
        waiting();
      }
    },
  };

  return {
    /** The subscriber's side effect for `eventId`, with the faults planned for it. */
    async sideEffect(eventId: string): Promise<void> {
      if (pending.visibility.delete(eventId)) await expireMidRun(eventId);
      increment(runs, eventId);
      if (pending.crash.delete(eventId)) {
        increment(injected.crash, eventId);
        const invocation = currentInvocation();
        if (invocation === undefined) throw new Error('a side effect outside an invocation');
        await invocation.crash();
      }
    },
    observer,
    runs,
    injected,
    messages,
    copies,
    overlapOutcomes,
  };
}
