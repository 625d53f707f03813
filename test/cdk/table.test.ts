import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IDEMPOTENCY_PARTITION_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
} from '../../lambda/contract/idempotency-record.ts';
import { logicalId, type Synthesized, synthReceiver, synthStack } from './support/synth.ts';

describe('idempotency table', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack();
  });

  it("is keyed by the handler's partition key alone", () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: IDEMPOTENCY_PARTITION_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_PARTITION_KEY, AttributeType: 'S' }],
    });
  });

  it("expires records on the handler's TTL attribute", () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('is on-demand with point-in-time recovery', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is encrypted with a KMS key by default', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is encrypted with the customer key when one is given', () => {
    let key: kms.Key | undefined;
    const { template } = synthReceiver((stack) => {
      key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      return { encryptionKey: key };
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(key ?? synth.stack), 'Arn'] },
      },
    });
  });

  it('is deletion-protected and retained by default', () => {
    const table = synth.template.toJSON().Resources[logicalId(synth.stack.receiver.table)];
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true },
    });
  });

  it('is unprotected and deleted with the stack when protection is turned off', () => {
    const off = synthStack({ tableDeletionProtection: false });
    const table = off.template.toJSON().Resources[logicalId(off.stack.receiver.table)];
    expect(table).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
  });
});
