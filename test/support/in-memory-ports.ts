/**
 * In-memory fakes of the receiver's ports that keep the real adapters' rules:
 * the store writes a claim only when `canClaimOver` allows it (the DynamoDB
 * condition), completes only while the token still owns the record, and
 * releases only its own IN_PROGRESS record (a lost release is not an error).
 * Every fake records what it was asked and can be told to fail.
 */
import type { CallOptions } from '../../lambda/domain/deadline.ts';
import type { IdempotencyRecord } from '../../lambda/domain/idempotency.ts';
import { canClaimOver } from '../../lambda/domain/idempotency.ts';
import type {
  ClaimWriteResult,
  EventPublisher,
  IdempotencyStore,
  RetentionLedger,
  SecretReader,
} from '../../lambda/domain/ports.ts';
import type { RetentionChange } from '../../lambda/domain/retention-history.ts';
import type { EventMessage } from '../../lambda/domain/sns-message.ts';
import {
  IdempotencyStoreError,
  PublishError,
  SigningKeysUnavailableError,
} from '../../lambda/errors.ts';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(private nowMs: number) {}

  /** The `now` function to inject. */
  readonly now = (): number => this.nowMs;

  /** Moves the clock forward (or back, with a negative step). */
  advance(ms: number): void {
    this.nowMs += ms;
  }

  set(ms: number): void {
    this.nowMs = ms;
  }
}

/** The store's operations, for call logs and failure injection. */
export type StoreOperation = 'claim' | 'complete' | 'release';

/** One call the store received. */
export type StoreCall =
  | { readonly operation: 'claim'; readonly record: IdempotencyRecord; readonly nowMs: number }
  | {
      readonly operation: 'complete';
      readonly eventId: string;
      readonly claimToken: string;
      readonly messageId: string;
      readonly nowMs: number;
    }
  | { readonly operation: 'release'; readonly eventId: string; readonly claimToken: string };

/** {@link IdempotencyStore} on a `Map`, with DynamoDB's conditional-write rules. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly failures = new Map<StoreOperation, Error>();
  /** Every call, in order (including failed ones). */
  readonly calls: StoreCall[] = [];

  /** Seeds a record as if an earlier delivery had written it. */
  put(record: IdempotencyRecord): void {
    this.records.set(record.eventId, record);
  }

  get(eventId: string): IdempotencyRecord | undefined {
    return this.records.get(eventId);
  }

  /** How many records the table holds. */
  get size(): number {
    return this.records.size;
  }

  /** Makes every later call of `operation` throw `error` (until {@link heal}). */
  failOn(
    operation: StoreOperation,
    error: Error = new IdempotencyStoreError(`${operation} failed`, {
      cause: new Error('ProvisionedThroughputExceededException'),
    }),
  ): void {
    this.failures.set(operation, error);
  }

  heal(operation: StoreOperation): void {
    this.failures.delete(operation);
  }

  private check(operation: StoreOperation): void {
    const error = this.failures.get(operation);
    if (error !== undefined) throw error;
  }

  async claim(
    record: IdempotencyRecord,
    nowMs: number,
    _options?: CallOptions,
  ): Promise<ClaimWriteResult> {
    this.calls.push({ operation: 'claim', record, nowMs });
    this.check('claim');
    const existing = this.records.get(record.eventId);
    if (!canClaimOver(existing, record.fingerprint, nowMs)) return { claimed: false, existing };
    this.records.set(record.eventId, record);
    return { claimed: true };
  }

  async complete(
    eventId: string,
    claimToken: string,
    messageId: string,
    nowMs: number,
    _options?: CallOptions,
  ): Promise<void> {
    this.calls.push({ operation: 'complete', eventId, claimToken, messageId, nowMs });
    this.check('complete');
    const existing = this.records.get(eventId);
    if (existing === undefined || existing.claimToken !== claimToken) {
      throw new IdempotencyStoreError('the claim was taken over before it was completed');
    }
    this.records.set(eventId, { ...existing, status: 'COMPLETED', messageId });
  }

  async release(eventId: string, claimToken: string, _options?: CallOptions): Promise<void> {
    this.calls.push({ operation: 'release', eventId, claimToken });
    this.check('release');
    const existing = this.records.get(eventId);
    if (existing?.claimToken === claimToken && existing.status === 'IN_PROGRESS') {
      this.records.delete(eventId);
    }
  }
}

/** A fake that can be told to make every later call throw (until {@link heal}). */
abstract class Breakable {
  private failure: Error | undefined;

  /** What {@link failWith} throws when given nothing. */
  protected abstract defaultFailure(): Error;

  failWith(error: Error = this.defaultFailure()): void {
    this.failure = error;
  }

  heal(): void {
    this.failure = undefined;
  }

  protected throwIfBroken(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** {@link RetentionLedger} on an array, appending only a change (as the DynamoDB condition does). */
export class InMemoryRetentionLedger extends Breakable implements RetentionLedger {
  readonly changes: RetentionChange[] = [];

  protected defaultFailure(): Error {
    return new IdempotencyStoreError('recording the retention failed');
  }

  async record(days: number, nowMs: number): Promise<void> {
    this.throwIfBroken();
    if (this.changes.at(-1)?.days !== days) this.changes.push({ days, sinceMs: nowMs });
  }

  async read(): Promise<readonly RetentionChange[]> {
    this.throwIfBroken();
    return [...this.changes];
  }
}

/** One message the publisher accepted. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly message: EventMessage;
  readonly messageId: string;
}

/** {@link EventPublisher} that keeps what it published. */
export class InMemoryEventPublisher extends Breakable implements EventPublisher {
  readonly published: PublishedMessage[] = [];
  /** Every attempt, including failed ones. */
  attempts = 0;
  private sequence = 0;

  protected defaultFailure(): Error {
    return new PublishError('publishing to SNS failed', {
      cause: new Error('InternalErrorException'),
    });
  }

  async publish(topicArn: string, message: EventMessage, _options?: CallOptions): Promise<string> {
    this.attempts += 1;
    this.throwIfBroken();
    this.sequence += 1;
    const messageId = `00000000-0000-4000-8000-${String(this.sequence).padStart(12, '0')}`;
    this.published.push({ topicArn, message, messageId });
    return messageId;
  }
}

/** {@link SecretReader} holding a `SecretString` the test can rotate. */
export class InMemorySecretReader extends Breakable implements SecretReader {
  reads = 0;

  constructor(private secretString: string) {
    super();
  }

  /** Stores a new secret value (a key rotation). */
  rotate(secretString: string): void {
    this.secretString = secretString;
  }

  protected defaultFailure(): Error {
    return new SigningKeysUnavailableError('reading the signing secret failed', {
      cause: new Error('ResourceNotFoundException'),
    });
  }

  async read(): Promise<string> {
    this.reads += 1;
    this.throwIfBroken();
    return this.secretString;
  }
}
