import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_ATTRIBUTES as A, IDEMPOTENCY_STATUS } from '../contract/idempotency-record.ts';
import type { CallOptions } from '../domain/deadline.ts';
import type { IdempotencyRecord } from '../domain/idempotency.ts';
import type { ClaimWriteResult, IdempotencyStore } from '../domain/ports.ts';
import { IdempotencyStoreError } from '../errors.ts';
import { budgetMs, callWithin } from './call-within.ts';

type Item = Record<string, AttributeValue>;

/**
 * The claim condition, {@link canClaimOver} in DynamoDB's words: no record, or
 * its retention has passed, or an IN_PROGRESS claim of the same payload whose
 * lease has run out.
 */
const CLAIM_CONDITION =
  'attribute_not_exists(#id) OR #expires <= :nowSeconds OR ' +
  '(#status = :inProgress AND #lease <= :nowMs AND #fingerprint = :fingerprint)';

function toItem(record: IdempotencyRecord): Item {
  const item: Item = {
    [A.eventId]: { S: record.eventId },
    [A.status]: { S: record.status },
    [A.claimToken]: { S: record.claimToken },
    [A.leaseExpiresAt]: { N: String(record.leaseExpiresAtMs) },
    [A.expiresAt]: { N: String(record.expiresAtSeconds) },
    [A.eventType]: { S: record.eventType },
    [A.fingerprint]: { S: record.fingerprint },
    [A.claimedAt]: { N: String(record.claimedAtMs) },
  };
  if (record.messageId !== undefined) item[A.messageId] = { S: record.messageId };
  return item;
}

/**
 * The conditional write that claims `record` at `nowMs`: it succeeds only on
 * {@link CLAIM_CONDITION}, and a refusal returns the record in the way.
 */
export function claimInput(
  tableName: string,
  record: IdempotencyRecord,
  nowMs: number,
): PutItemCommandInput {
  return {
    TableName: tableName,
    Item: toItem(record),
    ConditionExpression: CLAIM_CONDITION,
    ExpressionAttributeNames: {
      '#id': A.eventId,
      '#expires': A.expiresAt,
      '#status': A.status,
      '#lease': A.leaseExpiresAt,
      '#fingerprint': A.fingerprint,
    },
    ExpressionAttributeValues: {
      ':nowSeconds': { N: String(Math.floor(nowMs / 1000)) },
      ':nowMs': { N: String(nowMs) },
      ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
      ':fingerprint': { S: record.fingerprint },
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** What marks a claim completed. */
export interface Completion {
  readonly eventId: string;
  readonly claimToken: string;
  readonly messageId: string;
  readonly nowMs: number;
}

/** The update that marks a claim COMPLETED, only while `claimToken` still holds it. */
export function completeInput(tableName: string, completion: Completion): UpdateItemCommandInput {
  return {
    TableName: tableName,
    Key: { [A.eventId]: { S: completion.eventId } },
    UpdateExpression: 'SET #status = :completed, #messageId = :messageId, #completedAt = :nowMs',
    ConditionExpression: '#token = :token',
    ExpressionAttributeNames: {
      '#status': A.status,
      '#messageId': A.messageId,
      '#completedAt': A.completedAt,
      '#token': A.claimToken,
    },
    ExpressionAttributeValues: {
      ':completed': { S: IDEMPOTENCY_STATUS.completed },
      ':messageId': { S: completion.messageId },
      ':nowMs': { N: String(completion.nowMs) },
      ':token': { S: completion.claimToken },
    },
  };
}

/** Reads a stored item; a malformed one (edited by hand) reads as absent fields, never a throw. */
export function fromItem(item: Item): IdempotencyRecord {
  const s = (name: string) => item[name]?.S ?? '';
  const n = (name: string) => Number(item[name]?.N ?? 0);
  const messageId = item[A.messageId]?.S;
  return {
    eventId: s(A.eventId),
    status: s(A.status) === IDEMPOTENCY_STATUS.completed ? 'COMPLETED' : 'IN_PROGRESS',
    claimToken: s(A.claimToken),
    leaseExpiresAtMs: n(A.leaseExpiresAt),
    expiresAtSeconds: n(A.expiresAt),
    eventType: s(A.eventType),
    fingerprint: s(A.fingerprint),
    claimedAtMs: n(A.claimedAt),
    ...(messageId === undefined ? {} : { messageId }),
  };
}

/** {@link IdempotencyStore} on a DynamoDB table keyed by the event id. */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * The SDK retries these calls itself: each is safe to repeat. A repeated
   * claim meets its own record (the receiver recognises its token), a repeated
   * completion or release is conditioned on the same token.
   */
  private send<T>(
    options: CallOptions | undefined,
    call: (abortSignal: AbortSignal) => Promise<T>,
  ) {
    return callWithin(budgetMs(options), call);
  }

  async claim(
    record: IdempotencyRecord,
    nowMs: number,
    options?: CallOptions,
  ): Promise<ClaimWriteResult> {
    const endsAtMs = Date.now() + budgetMs(options);
    try {
      await this.send(options, (abortSignal) =>
        this.client.send(new PutItemCommand(claimInput(this.tableName, record, nowMs)), {
          abortSignal,
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new IdempotencyStoreError('claiming the event failed', { cause: error });
      }
      const existing = error.Item
        ? fromItem(error.Item)
        : await this.read(record.eventId, {
            timeoutMs: Math.max(0, endsAtMs - Date.now()),
          });
      return { claimed: false, existing };
    }
  }

  async complete(
    eventId: string,
    claimToken: string,
    messageId: string,
    nowMs: number,
    options?: CallOptions,
  ): Promise<void> {
    try {
      await this.send(options, (abortSignal) =>
        this.client.send(
          new UpdateItemCommand(
            completeInput(this.tableName, { eventId, claimToken, messageId, nowMs }),
          ),
          { abortSignal },
        ),
      );
    } catch (error) {
      const why =
        error instanceof ConditionalCheckFailedException
          ? 'the claim was taken over before it was completed'
          : 'marking the event completed failed';
      throw new IdempotencyStoreError(why, { cause: error });
    }
  }

  async release(eventId: string, claimToken: string, options?: CallOptions): Promise<void> {
    try {
      await this.send(options, (abortSignal) =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: { [A.eventId]: { S: eventId } },
            ConditionExpression: '#token = :token AND #status = :inProgress',
            ExpressionAttributeNames: { '#token': A.claimToken, '#status': A.status },
            ExpressionAttributeValues: {
              ':token': { S: claimToken },
              ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
            },
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      // Someone else holds the record now: there is nothing of ours left to release.
      if (error instanceof ConditionalCheckFailedException) return;
      throw new IdempotencyStoreError('releasing the claim failed', { cause: error });
    }
  }

  private async read(
    eventId: string,
    options: CallOptions | undefined,
  ): Promise<IdempotencyRecord | undefined> {
    try {
      const { Item } = await this.send(options, (abortSignal) =>
        this.client.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: { [A.eventId]: { S: eventId } },
            ConsistentRead: true,
          }),
          { abortSignal },
        ),
      );
      return Item ? fromItem(Item) : undefined;
    } catch (error) {
      throw new IdempotencyStoreError('reading the idempotency record failed', { cause: error });
    }
  }
}
