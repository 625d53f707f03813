/**
 * The floor bundle: what no receiver can do without. It imports the three AWS
 * SDK clients the handler uses and constructs one of each at module scope, with
 * the handler's client options (`lambda/compose-receiver.ts`), and exports a trivial
 * handler. `npm run bench` bundles it with the handler's esbuild settings
 * (`RECEIVER_BUNDLING`) and compares the handler's bundle and cold load with it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { FLOOR_CLIENT_OPTIONS } from './client-options.ts';

const clients = [
  new DynamoDBClient(FLOOR_CLIENT_OPTIONS),
  new SNSClient(FLOOR_CLIENT_OPTIONS),
  new SecretsManagerClient(FLOOR_CLIENT_OPTIONS),
];

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: String(clients.length),
});
