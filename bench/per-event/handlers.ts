/**
 * The two handlers the per-event bench compares, on the same (stubbed) clients:
 *
 * - `handler`: the real receiver, from `composeApiGatewayHandler`
 *   (`lambda/compose-handler.ts`: configuration from the environment, the API
 *   Gateway handler writing its log line and EMF document to stdout), only with
 *   the given clients instead of `createAwsClients()`;
 * - `floor`: the same SDK calls and nothing else: one `GetSecretValue` on the
 *   first event, then per event a conditional `PutItem` of an item of the same
 *   shape, a `Publish` of the body with the same number of attributes, and an
 *   `UpdateItem` completing it. No verification, parsing, checks or logging.
 */
import { randomUUID } from 'node:crypto';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsClients } from '../../lambda/compose.ts';
import { composeApiGatewayHandler } from '../../lambda/compose-handler.ts';
import { loadConfig } from '../../lambda/config.ts';
import {
  IDEMPOTENCY_ATTRIBUTES as A,
  IDEMPOTENCY_STATUS,
} from '../../lambda/contract/idempotency-record.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { stdoutSink } from '../../lambda/observability/sink.ts';
import { BENCH_EVENT_TYPE } from '../events.ts';

/** The receiver, through the one composition the Lambda entry point uses, on the given clients. */
export function receiverHandler(clients: AwsClients): ApiGatewayHandler {
  return composeApiGatewayHandler(loadConfig(process.env), clients, stdoutSink);
}

const RETENTION_SECONDS = 7 * 86_400;

/** The floor: the receiver's SDK calls, with inputs of the same shape, and nothing else. */
export function floorHandler(
  clients: AwsClients,
  target: { tableName: string; topicArn: string; secretId: string },
): ApiGatewayHandler {
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
          [A.eventType]: { S: BENCH_EVENT_TYPE },
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
          event_type: { DataType: 'String', StringValue: BENCH_EVENT_TYPE },
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
