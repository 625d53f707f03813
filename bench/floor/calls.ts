/**
 * The floor's per-event work: the receiver's SDK calls, with inputs of the same
 * shape, and nothing else. One `GetSecretValue` on the first event, then per
 * event a conditional `PutItem` of an item of the same shape, a `Publish` of
 * the body with the same number of attributes, and an `UpdateItem` completing
 * it. No verification, parsing, checks or logging. The two DynamoDB inputs come
 * from the receiver's adapter (`claimInput`, `completeInput`), so their shape
 * cannot drift from the receiver's.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { claimInput, completeInput } from '../../lambda/adapters/dynamodb-idempotency-store.ts';

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
    const fingerprint = token.repeat(2);
    await clients.dynamodb.send(
      new PutItemCommand(
        claimInput(
          target.tableName,
          {
            eventId,
            status: 'IN_PROGRESS',
            claimToken: token,
            leaseExpiresAtMs: nowMs + 19_000,
            expiresAtSeconds: Math.ceil(nowMs / 1000) + RETENTION_SECONDS,
            eventType: target.eventType,
            fingerprint,
            claimedAtMs: nowMs,
          },
          nowMs,
        ),
      ),
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
      new UpdateItemCommand(
        completeInput(target.tableName, {
          eventId,
          claimToken: token,
          messageId: MessageId ?? '',
          nowMs: Date.now(),
        }),
      ),
    );
    return { statusCode: 200, body: '' };
  };
}
