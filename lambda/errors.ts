/**
 * Every error the receiver raises on purpose. Adapters translate AWS SDK errors
 * into these at their boundary (keeping the SDK error as `cause`), so nothing
 * above them depends on an SDK error type; the handler alone maps them to HTTP.
 */

/** The AWS services the receiver depends on, as named in logs and metrics. */
export type Dependency = 'DynamoDB' | 'SNS' | 'SecretsManager';

/** A configuration variable is missing or invalid; names the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  /** @param variable the environment variable at fault. */
  constructor(
    readonly variable: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${variable} ${problem}`, options);
  }
}

/** An AWS dependency failed or is unreachable: a transient condition worth a retry (503). */
export class DependencyError extends Error {
  override readonly name: string = 'DependencyError';

  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The signing keys could not be read from Secrets Manager, or the secret holds none. */
export class SigningKeysUnavailableError extends DependencyError {
  override readonly name = 'SigningKeysUnavailableError';

  constructor(message: string, options?: ErrorOptions) {
    super('SecretsManager', message, options);
  }
}

/** A read or write of the DynamoDB idempotency table failed. */
export class IdempotencyStoreError extends DependencyError {
  override readonly name = 'IdempotencyStoreError';

  constructor(message: string, options?: ErrorOptions) {
    super('DynamoDB', message, options);
  }
}

/** How a failed publish left the message. */
export interface PublishErrorOptions extends ErrorOptions {
  /**
   * True when SNS may have accepted the message although the call failed (the
   * request was sent and its answer was lost, cut off or timed out): a second
   * publish of the event may then deliver it twice. Default false: SNS answered
   * with a refusal, or the request never left.
   */
  readonly maybePublished?: boolean;
}

/** Publishing to SNS failed; see `maybePublished` for whether the message may have gone out. */
export class PublishError extends DependencyError {
  override readonly name = 'PublishError';
  readonly maybePublished: boolean;

  constructor(message: string, options: PublishErrorOptions = {}) {
    super('SNS', message, options);
    this.maybePublished = options.maybePublished ?? false;
  }
}

/**
 * A call was not started, or was abandoned, because the invocation's time
 * budget ran out (see `lambda/domain/deadline.ts`).
 */
export class DeadlineExceededError extends DependencyError {
  override readonly name = 'DeadlineExceededError';
}
