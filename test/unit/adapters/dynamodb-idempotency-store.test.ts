import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DynamoDbIdempotencyStore,
  fromItem,
} from '../../../lambda/adapters/dynamodb-idempotency-store.ts';
import type { IdempotencyRecord } from '../../../lambda/domain/idempotency.ts';
import { IdempotencyStoreError } from '../../../lambda/errors.ts';
import { mockSdkClient, sentCommand } from '../../support/aws-sdk-mocks.ts';

const TABLE = 'apideck-idempotency';
const NOW_MS = Date.UTC(2026, 10, 26, 12, 0, 0, 500);

const RECORD: IdempotencyRecord = {
  eventId: 'evt-1',
  status: 'IN_PROGRESS',
  claimToken: 'token-1',
  leaseExpiresAtMs: NOW_MS + 35_000,
  expiresAtSeconds: Math.ceil((NOW_MS + 7 * 86_400_000) / 1000),
  eventType: 'vault.connection.created',
  fingerprint: 'f'.repeat(64),
  claimedAtMs: NOW_MS,
};

/** The item an earlier, completed claim left in the table. */
const COMPLETED_ITEM: Record<string, AttributeValue> = {
  event_id: { S: 'evt-1' },
  status: { S: 'COMPLETED' },
  claim_token: { S: 'token-0' },
  lease_expires_at: { N: String(NOW_MS - 60_000) },
  expires_at: { N: String(RECORD.expiresAtSeconds - 100) },
  event_type: { S: 'vault.connection.created' },
  payload_fingerprint: { S: 'e'.repeat(64) },
  claimed_at: { N: String(NOW_MS - 95_000) },
  completed_at: { N: String(NOW_MS - 90_000) },
  sns_message_id: { S: 'msg-0' },
};

const COMPLETED_RECORD: IdempotencyRecord = {
  eventId: 'evt-1',
  status: 'COMPLETED',
  claimToken: 'token-0',
  leaseExpiresAtMs: NOW_MS - 60_000,
  expiresAtSeconds: RECORD.expiresAtSeconds - 100,
  eventType: 'vault.connection.created',
  fingerprint: 'e'.repeat(64),
  claimedAtMs: NOW_MS - 95_000,
  messageId: 'msg-0',
};

function conditionFailed(item?: Record<string, AttributeValue>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item === undefined ? {} : { Item: item }),
  });
}

function throttled(): ProvisionedThroughputExceededException {
  return new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
}

function store() {
  const { client, send } = mockSdkClient<DynamoDBClient>();
  return { send, store: new DynamoDbIdempotencyStore(client, TABLE) };
}

describe('DynamoDbIdempotencyStore', () => {
  describe('claim', () => {
    it('writes the record with PutItem under the claim condition', async () => {
      const { send, store: subject } = store();
      send.mockResolvedValueOnce({});
      await subject.claim(RECORD, NOW_MS);
      expect(sentCommand(send, 0, PutItemCommand).input).toEqual({
        TableName: TABLE,
        Item: {
          event_id: { S: 'evt-1' },
          status: { S: 'IN_PROGRESS' },
          claim_token: { S: 'token-1' },
          lease_expires_at: { N: String(RECORD.leaseExpiresAtMs) },
          expires_at: { N: String(RECORD.expiresAtSeconds) },
          event_type: { S: 'vault.connection.created' },
          payload_fingerprint: { S: 'f'.repeat(64) },
          claimed_at: { N: String(NOW_MS) },
        },
        ConditionExpression:
          'attribute_not_exists(#id) OR #expires <= :nowSeconds OR ' +
          '(#status = :inProgress AND #lease <= :nowMs AND #fingerprint = :fingerprint)',
        ExpressionAttributeNames: {
          '#id': 'event_id',
          '#expires': 'expires_at',
          '#status': 'status',
          '#lease': 'lease_expires_at',
          '#fingerprint': 'payload_fingerprint',
        },
        ExpressionAttributeValues: {
          ':nowSeconds': { N: String(Math.floor(NOW_MS / 1000)) },
          ':nowMs': { N: String(NOW_MS) },
          ':inProgress': { S: 'IN_PROGRESS' },
          ':fingerprint': { S: 'f'.repeat(64) },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });

    it('reports a successful write as claimed', async () => {
      const { send, store: subject } = store();
      send.mockResolvedValueOnce({});
      expect(await subject.claim(RECORD, NOW_MS)).toEqual({ claimed: true });
    });

    it('writes a message id when the record has one', async () => {
      const { send, store: subject } = store();
      send.mockResolvedValueOnce({});
      await subject.claim({ ...RECORD, messageId: 'msg-9' }, NOW_MS);
      expect(sentCommand(send, 0, PutItemCommand).input.Item?.sns_message_id).toEqual({
        S: 'msg-9',
      });
    });

    it('returns the record in the way, unmarshalled from the failed condition', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed(COMPLETED_ITEM));
      expect(await subject.claim(RECORD, NOW_MS)).toEqual({
        claimed: false,
        existing: COMPLETED_RECORD,
      });
    });

    it('does not read the record again when the failed condition returned it', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed(COMPLETED_ITEM));
      await subject.claim(RECORD, NOW_MS);
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('falls back to a consistent GetItem when the failed condition returned no item', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed()).mockResolvedValueOnce({ Item: COMPLETED_ITEM });
      const result = await subject.claim(RECORD, NOW_MS);
      expect({ result, get: sentCommand(send, 1, GetItemCommand).input }).toEqual({
        result: { claimed: false, existing: COMPLETED_RECORD },
        get: { TableName: TABLE, Key: { event_id: { S: 'evt-1' } }, ConsistentRead: true },
      });
    });

    it('reports no record when the fallback read finds none', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed()).mockResolvedValueOnce({});
      expect(await subject.claim(RECORD, NOW_MS)).toEqual({ claimed: false, existing: undefined });
    });

    it('wraps a failed fallback read in IdempotencyStoreError with the cause', async () => {
      const { send, store: subject } = store();
      const cause = throttled();
      send.mockRejectedValueOnce(conditionFailed()).mockRejectedValueOnce(cause);
      const failed = subject.claim(RECORD, NOW_MS);
      await expect(failed).rejects.toBeInstanceOf(IdempotencyStoreError);
      await expect(failed).rejects.toHaveProperty('cause', cause);
    });

    it('wraps any other error in IdempotencyStoreError with the cause', async () => {
      const { send, store: subject } = store();
      const cause = throttled();
      send.mockRejectedValueOnce(cause);
      const failed = subject.claim(RECORD, NOW_MS);
      await expect(failed).rejects.toBeInstanceOf(IdempotencyStoreError);
      await expect(failed).rejects.toMatchObject({ dependency: 'DynamoDB', cause });
    });
  });

  describe('complete', () => {
    it('marks the record COMPLETED with the message id, conditioned on the claim token', async () => {
      const { send, store: subject } = store();
      send.mockResolvedValueOnce({});
      await subject.complete('evt-1', 'token-1', 'msg-1', NOW_MS);
      expect(sentCommand(send, 0, UpdateItemCommand).input).toEqual({
        TableName: TABLE,
        Key: { event_id: { S: 'evt-1' } },
        UpdateExpression:
          'SET #status = :completed, #messageId = :messageId, #completedAt = :nowMs',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#messageId': 'sns_message_id',
          '#completedAt': 'completed_at',
          '#token': 'claim_token',
        },
        ExpressionAttributeValues: {
          ':completed': { S: 'COMPLETED' },
          ':messageId': { S: 'msg-1' },
          ':nowMs': { N: String(NOW_MS) },
          ':token': { S: 'token-1' },
        },
      });
    });

    it('fails with IdempotencyStoreError when the claim was taken over', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed());
      const failed = subject.complete('evt-1', 'token-1', 'msg-1', NOW_MS);
      await expect(failed).rejects.toBeInstanceOf(IdempotencyStoreError);
      await expect(failed).rejects.toThrow(/taken over/);
    });

    it('wraps any other error in IdempotencyStoreError with the cause', async () => {
      const { send, store: subject } = store();
      const cause = throttled();
      send.mockRejectedValueOnce(cause);
      const failed = subject.complete('evt-1', 'token-1', 'msg-1', NOW_MS);
      await expect(failed).rejects.toBeInstanceOf(IdempotencyStoreError);
      await expect(failed).rejects.toHaveProperty('cause', cause);
    });
  });

  describe('release', () => {
    it('deletes the record only while this claim holds it IN_PROGRESS', async () => {
      const { send, store: subject } = store();
      send.mockResolvedValueOnce({});
      await subject.release('evt-1', 'token-1');
      expect(sentCommand(send, 0, DeleteItemCommand).input).toEqual({
        TableName: TABLE,
        Key: { event_id: { S: 'evt-1' } },
        ConditionExpression: '#token = :token AND #status = :inProgress',
        ExpressionAttributeNames: { '#token': 'claim_token', '#status': 'status' },
        ExpressionAttributeValues: {
          ':token': { S: 'token-1' },
          ':inProgress': { S: 'IN_PROGRESS' },
        },
      });
    });

    it('ignores a failed condition: the record is no longer this claim', async () => {
      const { send, store: subject } = store();
      send.mockRejectedValueOnce(conditionFailed());
      await expect(subject.release('evt-1', 'token-1')).resolves.toBeUndefined();
    });

    it('wraps any other error in IdempotencyStoreError with the cause', async () => {
      const { send, store: subject } = store();
      const cause = throttled();
      send.mockRejectedValueOnce(cause);
      const failed = subject.release('evt-1', 'token-1');
      await expect(failed).rejects.toBeInstanceOf(IdempotencyStoreError);
      await expect(failed).rejects.toHaveProperty('cause', cause);
    });
  });
});

describe('fromItem', () => {
  it('reads a malformed item as absent fields instead of throwing', () => {
    expect(fromItem({ event_id: { S: 'evt-1' }, status: { S: 'WEIRD' } })).toEqual({
      eventId: 'evt-1',
      status: 'IN_PROGRESS',
      claimToken: '',
      leaseExpiresAtMs: 0,
      expiresAtSeconds: 0,
      eventType: '',
      fingerprint: '',
      claimedAtMs: 0,
    });
  });
});
