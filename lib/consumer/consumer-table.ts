import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { CONSUMER_IDEMPOTENCY_TABLE } from '../../lambda/contract/consumer-idempotency-table.ts';

const { partitionKey, timeToLiveAttribute } = CONSUMER_IDEMPOTENCY_TABLE;

export interface ConsumerTableProps {
  readonly deletionProtection: boolean;
  readonly encryptionKey?: kms.IKey | undefined;
}

/** A table of the consumer's idempotency layout, with the secure defaults of the receiver's own. */
export function createConsumerTable(
  scope: Construct,
  id: string,
  props: ConsumerTableProps,
): dynamodb.Table {
  const key = props.encryptionKey;
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: props.deletionProtection,
    // A key the account can audit in CloudTrail rather than an AWS-owned one.
    encryption: key
      ? dynamodb.TableEncryption.CUSTOMER_MANAGED
      : dynamodb.TableEncryption.AWS_MANAGED,
    ...(key ? { encryptionKey: key } : {}),
    // CloudFormation cannot delete a protected table: retaining it keeps `cdk destroy` whole.
    removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}

interface KeyElement {
  readonly attributeName: string;
  readonly keyType: string;
}

interface AttributeDefinition {
  readonly attributeName: string;
  readonly attributeType: string;
}

interface TableLayout {
  readonly keySchema?: KeyElement[];
  readonly attributeDefinitions?: AttributeDefinition[];
  readonly timeToLiveSpecification?: { attributeName?: string; enabled?: boolean };
}

/** The key schema and time to live of a table defined in this app, or undefined for an imported one. */
function layoutOf(table: dynamodb.ITable): TableLayout | undefined {
  const resource = table.node.defaultChild;
  if (!(resource instanceof dynamodb.CfnTable || resource instanceof dynamodb.CfnGlobalTable)) {
    return undefined;
  }
  return Stack.of(resource).resolve({
    keySchema: resource.keySchema,
    attributeDefinitions: resource.attributeDefinitions,
    timeToLiveSpecification: resource.timeToLiveSpecification,
  }) as TableLayout;
}

/**
 * Why a table passed to the consumer cannot hold its idempotency records, or
 * undefined when it can (or when it is imported, and cannot be read).
 */
export function tableLayoutRefusal(table: dynamodb.ITable): string | undefined {
  const layout = layoutOf(table);
  if (!layout) return undefined;
  const keys = layout.keySchema ?? [];
  const hash = keys.find((k) => k.keyType === 'HASH');
  const hashType = layout.attributeDefinitions?.find(
    (a) => a.attributeName === hash?.attributeName,
  )?.attributeType;
  const ttl = layout.timeToLiveSpecification;
  const problems = [
    ...(hash?.attributeName === partitionKey && hashType === 'S'
      ? []
      : [`its partition key is "${hash?.attributeName}" (${hashType})`]),
    ...(keys.some((k) => k.keyType === 'RANGE') ? ['it has a sort key'] : []),
    ...(ttl?.enabled === true && ttl.attributeName === timeToLiveAttribute
      ? []
      : [`its time to live is ${ttl?.enabled ? `on "${ttl.attributeName}"` : 'off'}`]),
  ];
  return problems.length === 0
    ? undefined
    : `table ${table.node.path} cannot hold idempotency records: ${problems.join(', ')}; it needs a string partition key "${partitionKey}", no sort key and time to live on "${timeToLiveAttribute}" (Powertools Idempotency's layout)`;
}
