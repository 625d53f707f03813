import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { fromItem } from '../adapters/dynamodb-idempotency-store.ts';
import { IDEMPOTENCY_PARTITION_KEY } from '../contract/idempotency-record.ts';
import type { IdempotencyRecord } from '../domain/idempotency.ts';
import { recordKeyOf } from '../domain/record-key.ts';
import { IdempotencyStoreError } from '../errors.ts';
import type { IdempotencyRecordReader } from './ports.ts';

/** {@link IdempotencyRecordReader} on the receiver's table: a strongly consistent `GetItem`. */
export class DynamoDbRecordReader implements IdempotencyRecordReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(eventId: string): Promise<IdempotencyRecord | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [IDEMPOTENCY_PARTITION_KEY]: { S: recordKeyOf(eventId) } },
          ConsistentRead: true,
        }),
      );
      return Item === undefined ? undefined : fromItem(Item);
    } catch (error) {
      throw new IdempotencyStoreError('reading an idempotency record failed', { cause: error });
    }
  }
}
