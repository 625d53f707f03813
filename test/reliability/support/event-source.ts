/**
 * Lambda's SQS event source mapping, emulated against the emulator's queue:
 * pollers receive batches, invoke the subscriber's handler with an `SQSEvent`
 * and a context whose remaining time counts down from the function timeout,
 * and delete the records not listed in `batchItemFailures`. A record listed
 * there, or every record of an invocation that throws, times out or crashes,
 * stays in the queue and is received again once its visibility timeout ends;
 * the queue's redrive policy moves it to the dead-letter queue after
 * `maxReceiveCount` receives, as on AWS.
 *
 * The handler's code reaches its own invocation through {@link currentInvocation}
 * (an `AsyncLocalStorage`), which is how a scenario crashes it mid-run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '../../../tools/emulator/api-gateway/server.ts';

/** A subscriber's SQS handler, as Lambda calls it. */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined>;

/** How an invocation ended, for the records it was given. */
export type InvocationOutcome =
  /** The handler answered: records listed in `batchItemFailures` were kept, the others deleted. */
  | { readonly kind: 'answered'; readonly failed: ReadonlySet<string> }
  /** The container died ({@link Invocation.crash}): nothing was deleted. */
  | { readonly kind: 'crashed' }
  /** The function timeout passed first: nothing was deleted. */
  | { readonly kind: 'timed-out' }
  /** The handler threw, or answered with an unknown item identifier: nothing was deleted. */
  | { readonly kind: 'failed'; readonly error: unknown };

/** One invocation of the handler. */
export interface Invocation {
  readonly records: readonly SQSRecord[];
  /** The container dies here: the invocation ends without an answer and deletes nothing. Never settles. */
  crash(): Promise<never>;
}

/** What a scenario observes (and may inject faults at) around each invocation. */
export interface EventSourceObserver {
  /** A batch was received; the handler is invoked once this settles. */
  received?(records: readonly SQSRecord[]): Promise<void>;
  /** The invocation of `records` ended. */
  settled?(records: readonly SQSRecord[], outcome: InvocationOutcome): void;
}

/** Options of {@link startEventSource}. */
export interface EventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: SqsHandler;
  /** Records per invocation at most (Lambda's default: 10). */
  readonly batchSize: number;
  /** Batches processed at once (concurrent invocations). */
  readonly concurrency: number;
  readonly functionTimeoutMs: number;
  /** How long a poller whose batch was not full gathers before it receives again (`MaximumBatchingWindowInSeconds`). */
  readonly batchingWindowMs: number;
  readonly observer?: EventSourceObserver;
}

/** Counts of the event source's work. */
export interface EventSourceFigures {
  invocations: number;
  recordsReceived: number;
  recordsDeleted: number;
  /** Records listed in `batchItemFailures`. */
  recordsReportedFailed: number;
  crashed: number;
  timedOut: number;
  failed: number;
  /** ReceiveMessage or DeleteMessageBatch calls that failed (the poller goes on, as Lambda's does). */
  sqsErrors: number;
}

const invocations = new AsyncLocalStorage<Invocation>();

/** The invocation the calling handler code runs in, if any. */
export function currentInvocation(): Invocation | undefined {
  return invocations.getStore();
}

function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDAEMULATOR',
      ApproximateFirstReceiveTimestamp:
        attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Starts the pollers; `stop()` ends them and waits for the invocations still running (not the crashed ones). */
export function startEventSource(options: EventSourceOptions) {
  const { sqs, queueUrl, handler, observer, functionTimeoutMs } = options;
  const figures: EventSourceFigures = {
    invocations: 0,
    recordsReceived: 0,
    recordsDeleted: 0,
    recordsReportedFailed: 0,
    crashed: 0,
    timedOut: 0,
    failed: 0,
    sqsErrors: 0,
  };
  const stopping = new AbortController();

  async function invoke(records: readonly SQSRecord[]): Promise<InvocationOutcome> {
    figures.invocations++;
    let crashed: () => void = () => undefined;
    const crash = new Promise<InvocationOutcome>((resolve) => {
      crashed = () => resolve({ kind: 'crashed' });
    });
    const invocation: Invocation = {
      records,
      crash: () => {
        crashed();
        return new Promise<never>(() => undefined);
      },
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvocationOutcome>((resolve) => {
      timer = setTimeout(resolve, functionTimeoutMs, { kind: 'timed-out' });
    });
    const context = lambdaContext(
      randomUUID(),
      Date.now() + functionTimeoutMs,
      'apideck-event-consumer',
    );
    const run = invocations
      .run(invocation, () => handler({ Records: [...records] }, context))
      .then(
        (response): InvocationOutcome => {
          const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          const known = new Set(records.map((record) => record.messageId));
          // Lambda fails the whole batch when a failure names no record of it.
          const unknown = [...failed].filter((id) => !known.has(id));
          return unknown.length === 0
            ? { kind: 'answered', failed }
            : { kind: 'failed', error: new Error(`unknown itemIdentifier ${unknown.join(', ')}`) };
        },
        (error: unknown): InvocationOutcome => ({ kind: 'failed', error }),
      );
    const outcome = await Promise.race([run, crash, timeout]);
    clearTimeout(timer);
    return outcome;
  }

  async function acknowledge(records: readonly SQSRecord[], outcome: InvocationOutcome) {
    if (outcome.kind !== 'answered') {
      figures[
        outcome.kind === 'failed' ? 'failed' : outcome.kind === 'crashed' ? 'crashed' : 'timedOut'
      ]++;
      return;
    }
    figures.recordsReportedFailed += outcome.failed.size;
    const done = records.filter((record) => !outcome.failed.has(record.messageId));
    if (done.length === 0) return;
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((record, index) => ({
          Id: String(index),
          ReceiptHandle: record.receiptHandle,
        })),
      }),
    );
    figures.recordsDeleted += deleted.Successful?.length ?? 0;
    figures.sqsErrors += deleted.Failed?.length ?? 0;
  }

  async function poll(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stopping.signal },
        );
        if (Messages.length === 0) continue;
        const records = Messages.map((m) => toRecord(m, options.queueArn, options.region));
        figures.recordsReceived += records.length;
        await observer?.received?.(records);
        const outcome = await invoke(records);
        observer?.settled?.(records, outcome);
        await acknowledge(records, outcome);
        if (records.length < options.batchSize) await sleep(options.batchingWindowMs);
      } catch {
        if (stopping.signal.aborted) return;
        figures.sqsErrors++;
        await sleep(100);
      }
    }
  }

  const pollers = Array.from({ length: options.concurrency }, () => poll());
  return {
    figures,
    stop: async (): Promise<void> => {
      stopping.abort();
      await Promise.all(pollers);
    },
  };
}
