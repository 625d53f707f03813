import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { DynamoDbRetentionLedger } from '../../lambda/adapters/dynamodb-retention-ledger.ts';
import { IDEMPOTENCY_PARTITION_KEY } from '../../lambda/contract/idempotency-record.ts';
import { emulatorClientConfig } from '../../tools/emulator/index.ts';
import { describeRetentionLedgerContract } from '../support/contracts/retention-ledger-contract.ts';

const client = new DynamoDBClient(
  emulatorClientConfig({ endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') }),
);

/** A ledger on a new, empty table shaped as the construct makes it. */
async function freshLedger(): Promise<DynamoDbRetentionLedger> {
  const tableName = `ledger-${randomUUID()}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: IDEMPOTENCY_PARTITION_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_PARTITION_KEY, AttributeType: 'S' }],
    }),
  );
  return new DynamoDbRetentionLedger(client, tableName);
}

describeRetentionLedgerContract('DynamoDbRetentionLedger on the emulator', freshLedger);
