/**
 * The DynamoDB adapter against a real table on the emulator, through the same
 * contract suite as the in-memory fake the receiver tests use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { DynamoDbIdempotencyStore } from '../../lambda/adapters/dynamodb-idempotency-store.ts';
import { emulatorClientConfig, provisionReceiver } from '../../tools/emulator/index.ts';
import { describeIdempotencyStoreContract } from '../support/idempotency-store-contract.ts';

const emulator = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
const client = new DynamoDBClient(emulatorClientConfig(emulator));
let store: DynamoDbIdempotencyStore | undefined;

beforeAll(async () => {
  const { tableName } = await provisionReceiver({
    ...emulator,
    eventTypes: [],
    apiKeys: 'sk_contract_unused',
    namePrefix: 'store-contract',
  });
  store = new DynamoDbIdempotencyStore(client, tableName);
});

afterAll(() => client.destroy());

describeIdempotencyStoreContract('DynamoDbIdempotencyStore on the emulator', () => {
  if (store === undefined) throw new Error('the table was not provisioned');
  return store;
});
