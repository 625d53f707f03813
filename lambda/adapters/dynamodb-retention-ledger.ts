import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  IDEMPOTENCY_PARTITION_KEY,
  RETENTION_LEDGER as L,
} from '../contract/idempotency-record.ts';
import type { CallOptions } from '../domain/deadline.ts';
import type { RetentionLedger } from '../domain/ports.ts';
import type { RetentionChange } from '../domain/retention-history.ts';
import { IdempotencyStoreError } from '../errors.ts';
import { budgetMs, callWithin } from './call-within.ts';

const KEY = { [IDEMPOTENCY_PARTITION_KEY]: { S: L.key } };

function toChange(value: AttributeValue): RetentionChange | undefined {
  const days = Number(value.M?.days?.N);
  const sinceMs = Number(value.M?.since?.N);
  return Number.isFinite(days) && Number.isFinite(sinceMs) ? { days, sinceMs } : undefined;
}

/**
 * {@link RetentionLedger} as one item of the idempotency table. A container
 * records its retention once: the recording started at cold start is shared
 * by the first claim, and a failed one is tried again by the next.
 */
export class DynamoDbRetentionLedger implements RetentionLedger {
  /** The last retention this container recorded (or is recording): recording it again is a no-op. */
  private last: { readonly days: number; readonly recording: Promise<void> } | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  record(days: number, nowMs: number, options?: CallOptions): Promise<void> {
    if (this.last?.days === days) return this.last.recording;
    const recording = this.append(days, nowMs, options).catch((error: unknown) => {
      if (this.last?.recording === recording) this.last = undefined;
      throw error;
    });
    this.last = { days, recording };
    return recording;
  }

  private async append(days: number, nowMs: number, options?: CallOptions): Promise<void> {
    try {
      await callWithin(budgetMs(options), (abortSignal) =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: KEY,
            UpdateExpression:
              'SET #current = :days, #history = list_append(if_not_exists(#history, :empty), :change)',
            ConditionExpression: 'attribute_not_exists(#current) OR #current <> :days',
            ExpressionAttributeNames: { '#current': L.currentDays, '#history': L.history },
            ExpressionAttributeValues: {
              ':days': { N: String(days) },
              ':empty': { L: [] },
              ':change': {
                L: [{ M: { days: { N: String(days) }, since: { N: String(nowMs) } } }],
              },
            },
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      // Already the retention in force: nothing to append.
      if (error instanceof ConditionalCheckFailedException) return;
      throw new IdempotencyStoreError('recording the retention failed', { cause: error });
    }
  }

  async read(options?: CallOptions): Promise<readonly RetentionChange[]> {
    try {
      const { Item } = await callWithin(budgetMs(options), (abortSignal) =>
        this.client.send(
          new GetItemCommand({ TableName: this.tableName, Key: KEY, ConsistentRead: true }),
          { abortSignal },
        ),
      );
      const changes = Item?.[L.history]?.L ?? [];
      return changes.map(toChange).filter((change) => change !== undefined);
    } catch (error) {
      throw new IdempotencyStoreError('reading the retention ledger failed', { cause: error });
    }
  }
}
