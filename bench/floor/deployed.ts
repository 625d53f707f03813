/**
 * The floor as a deployable bundle for the as-deployed warm-CPU figure: the
 * three clients constructed at module scope with the handler's client options
 * (and the SDK's default credential chain, as anyone would write it), and a
 * handler making the receiver's calls (`calls.ts`). `npm run bench` bundles it
 * with the handler's esbuild settings and imports it beside the handler's asset.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { benchFloorTarget } from '../environment.ts';
import { floorCalls } from './calls.ts';
import { FLOOR_CLIENT_OPTIONS } from './client-options.ts';

export const handler = floorCalls(
  {
    dynamodb: new DynamoDBClient(FLOOR_CLIENT_OPTIONS),
    sns: new SNSClient(FLOOR_CLIENT_OPTIONS),
    secretsManager: new SecretsManagerClient(FLOOR_CLIENT_OPTIONS),
  },
  benchFloorTarget(),
);
