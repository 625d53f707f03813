/**
 * The floor's per-event work: the receiver's SDK calls, with inputs of the same
 * shape, and nothing else. One `GetSecretValue` on the first event, then per
 * event a conditional `PutItem` of an item of the same shape, a `Publish` of
 * the body with the same number of attributes, and an `UpdateItem` completing
 * it. No verification, parsing, checks or logging.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  IDEMPOTENCY_ATTRIBUTES as A,
  IDEMPOTENCY_STATUS,
} from '../../lambda/contract/idempotency-record.ts';

/** The three clients the floor calls. */
export interface FloorClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secretsManager: SecretsManagerClient;
}

/** Where the floor's calls go, and the event type its item and attributes carry. */
export interface FloorTarget {
  readonly tableName: string;
  readonly topicArn: string;
  readonly secretId: string;
  readonly eventType: string;
}

/** The floor handler: the API Gateway handler's signature, only `awsRequestId` read. */
export type FloorHandler = (
  event: APIGatewayProxyEvent,
  context: { readonly awsRequestId: string },
) => Promise<APIGatewayProxyResult>;

const RETENTION_SECONDS = 7 * 86_400;

/** The floor: the receiver's SDK calls, with inputs of the same shape, and nothing else. */
export function floorCalls(clients: FloorClients, target: FloorTarget): FloorHandler {
  let secret: Promise<unknown> | undefined;
  return async (event, context) => {
    secret ??= clients.secretsManager.send(
      new GetSecretValueCommand({ SecretId: target.secretId }),
    );
    await secret;
    const eventId = context.awsRequestId;
    const token = randomUUID();
    const nowMs = Date.now();
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: target.tableName,
        Item: {
          [A.eventId]: { S: eventId },
          [A.status]: { S: IDEMPOTENCY_STATUS.inProgress },
          [A.claimToken]: { S: token },
          [A.leaseExpiresAt]: { N: String(nowMs + 19_000) },
          [A.expiresAt]: { N: String(Math.ceil(nowMs / 1000) + RETENTION_SECONDS) },
          [A.eventType]: { S: target.eventType },
          [A.fingerprint]: { S: token.repeat(2) },
          [A.claimedAt]: { N: String(nowMs) },
        },
        ConditionExpression:
          'attribute_not_exists(#id) OR #expires <= :nowSeconds OR ' +
          '(#status = :inProgress AND #lease <= :nowMs AND #fingerprint = :fingerprint)',
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
          ':fingerprint': { S: token.repeat(2) },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const { MessageId } = await clients.sns.send(
      new PublishCommand({
        TopicArn: target.topicArn,
        Message: event.body ?? '',
        MessageAttributes: {
          event_type: { DataType: 'String', StringValue: target.eventType },
          event_id: { DataType: 'String', StringValue: eventId },
          entity_id: { DataType: 'String', StringValue: 'crm+salesforce' },
          connector: { DataType: 'String', StringValue: 'salesforce' },
          unified_api: { DataType: 'String', StringValue: 'crm' },
          consumer_id: { DataType: 'String', StringValue: 'acme-user-42' },
        },
      }),
    );
    await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: { [A.eventId]: { S: eventId } },
        UpdateExpression:
          'SET #status = :completed, #messageId = :messageId, #completedAt = :nowMs',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: {
          '#status': A.status,
          '#messageId': A.messageId,
          '#completedAt': A.completedAt,
          '#token': A.claimToken,
        },
        ExpressionAttributeValues: {
          ':completed': { S: IDEMPOTENCY_STATUS.completed },
          ':messageId': { S: MessageId ?? '' },
          ':nowMs': { N: String(Date.now()) },
          ':token': { S: token },
        },
      }),
    );
    return { statusCode: 200, body: '' };
  };
}
