/**
 * Partial batch responses on Powertools Batch: loaded by `createSqsHandler`
 * when it is created, so a function that only parses never loads it.
 */
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-events.ts';

function isFifo(event: SqsEvent): boolean {
  return event.Records[0]?.eventSourceARN.endsWith('.fifo') ?? false;
}

/**
 * Processes every record, reporting those whose promise rejects. On a FIFO
 * queue the records run in order, and those of a message group after one that
 * failed are reported without running (`skipGroupOnError`). A batch whose
 * records all fail is reported record by record, not thrown.
 */
export async function processBatch(
  event: SqsEvent,
  context: LambdaContext,
  processRecord: (record: SqsRecord) => Promise<void>,
): Promise<SqsBatchResponse> {
  // The kit's own shapes are the subset of `aws-lambda`'s that Powertools reads.
  const records = event as unknown as SQSEvent;
  const lambdaContext = context as Context;
  const handle = (record: SQSRecord) => processRecord(record);
  // One processor per invocation: a processor holds its batch's state.
  const response = isFifo(event)
    ? await processPartialResponse(records, handle, new SqsFifoPartialProcessorAsync(), {
        context: lambdaContext,
        throwOnFullBatchFailure: false,
        skipGroupOnError: true,
      })
    : await processPartialResponse(records, handle, new BatchProcessor(EventType.SQS), {
        context: lambdaContext,
        throwOnFullBatchFailure: false,
      });
  return { batchItemFailures: response.batchItemFailures };
}
