import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * What a construct built on a receiver needs of it beyond its public API: the
 * handler's role and environment, and the resolved settings it shares. Kept
 * out of the receiver's public API (and so out of every jsii language).
 */
export interface ReceiverParts {
  /** The handler's role: exactly its table, topic and secret permissions. */
  readonly role: iam.IRole;
  /** The handler's environment (table, topics, secret, retention, namespace). */
  readonly environment: Readonly<Record<string, string>>;
  /** Hours of idempotency retention minus the replay margin. */
  readonly maxWindowHours: number;
  readonly logRetention: logs.RetentionDays;
  readonly encryptionKey: kms.IKey | undefined;
}

const PARTS = new WeakMap<IConstruct, ReceiverParts>();

/** Records a receiver's parts (called once, by its constructor). */
export function registerReceiverParts(receiver: IConstruct, parts: ReceiverParts): void {
  PARTS.set(receiver, parts);
}

/** The parts of a receiver built by this package. */
export function receiverParts(receiver: IConstruct): ReceiverParts {
  const parts = PARTS.get(receiver);
  if (!parts) throw new Error(`${receiver.node.path} is not an ApideckWebhookReceiver`);
  return parts;
}
