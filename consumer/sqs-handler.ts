/**
 * `createSqsHandler`: a Lambda handler for an SQS queue subscribed to the
 * receiver's topics, that runs each event's handler at most once to completion.
 *
 * Reused from Powertools for AWS Lambda (bundled into the kit, so the package
 * has no runtime dependency), each loaded only when used:
 * - Batch (`batch-runner.ts`): partial batch responses, and on FIFO queues the
 *   failure of the later records of a message group whose record failed;
 * - Idempotency (`idempotent-runner.ts`): the claim, the in-progress lease
 *   (the invocation's remaining time), the completion record and the release
 *   on failure, in the table layout the consumer construct creates.
 */
import { CONSUMER_ENVIRONMENT } from '../lambda/contract/consumer-environment.ts';
import { CONSUMER_METRICS } from '../lambda/contract/consumer-metrics.ts';
import type { ApideckEvent, ApideckEventOfType } from './events.ts';
import type { IdempotencySettings, RunEvent } from './idempotent-runner.ts';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-events.ts';
import { parseEvent } from './parse-event.ts';

/** A handler of one event type: its promise settling without an error completes the event. */
export type EventHandler<E extends ApideckEvent> = (
  event: E,
  context: LambdaContext,
) => Promise<unknown> | unknown;

/** Handlers by event type: `handlers['vault.connection.created']` receives that event, narrowed. */
export type EventHandlers<K extends string> = {
  readonly [T in K]: EventHandler<ApideckEventOfType<T>>;
};

/** Where the kit writes what it decided (Powertools' `Logger` fits; the default writes JSON lines). */
export interface ConsumerLogger {
  info(message: string, attributes: Readonly<Record<string, unknown>>): void;
  warn(message: string, attributes: Readonly<Record<string, unknown>>): void;
  error(message: string, attributes: Readonly<Record<string, unknown>>): void;
}

/** How the DynamoDB client is configured (the SDK's `DynamoDBClientConfig`; the defaults suit Lambda). */
export interface DynamoDbClientConfig {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly maxAttempts?: number;
}

/** Completed-run records in DynamoDB: the table the consumer construct creates, or your own of the same layout. */
export interface IdempotencyOptions {
  /**
   * The table (string partition key `id`, TTL attribute `expiration`).
   *
   * @defaultValue the `APIDECK_IDEMPOTENCY_TABLE_NAME` environment variable (set by the consumer construct)
   */
  readonly tableName?: string;
  /**
   * How long an event's completion is remembered, in seconds: a copy arriving
   * later runs the handler again.
   *
   * @defaultValue 14 days: SQS's longest retention, and the FIFO topics' default archive
   */
  readonly expiresAfterSeconds?: number;
  /**
   * Prefix of the records' keys. Functions that share a table need their own.
   *
   * @defaultValue the function's name (`AWS_LAMBDA_FUNCTION_NAME`)
   */
  readonly keyPrefix?: string;
  /** The DynamoDB client's configuration. @defaultValue the SDK's defaults (the function's region and role) */
  readonly clientConfig?: DynamoDbClientConfig;
}

/** What {@link createSqsHandler} builds. */
export interface SqsHandlerOptions<K extends string> {
  /** Handlers by event type; an event of a type without one is acknowledged and logged. */
  readonly handlers: EventHandlers<K>;
  /**
   * Run each event's handler at most once to completion, recorded in DynamoDB
   * (`{}` takes the table from the environment). Without it, a copy of an
   * event runs its handler again.
   */
  readonly idempotency?: IdempotencyOptions;
  /** @defaultValue JSON lines on standard output and error */
  readonly logger?: ConsumerLogger;
}

/** The handler {@link createSqsHandler} returns. */
export type SqsHandler = (event: SqsEvent, context: LambdaContext) => Promise<SqsBatchResponse>;

/** The options of {@link createSqsHandler} cannot work (checked once, when the handler is created). */
export class ConsumerConfigurationError extends Error {
  override readonly name = 'ConsumerConfigurationError';
}

/** Fourteen days: the longest SQS keeps a message, and the FIFO topics' default archive. */
export const DEFAULT_EXPIRES_AFTER_SECONDS = 14 * 24 * 60 * 60;

const JSON_LINES: ConsumerLogger = {
  info: (message, attributes) =>
    console.info(JSON.stringify({ level: 'INFO', message, ...attributes })),
  warn: (message, attributes) =>
    console.warn(JSON.stringify({ level: 'WARN', message, ...attributes })),
  error: (message, attributes) =>
    console.error(JSON.stringify({ level: 'ERROR', message, ...attributes })),
};

/**
 * Counts a possible duplicate as a CloudWatch metric (Embedded Metric Format,
 * on standard output whatever the logger), so it can be alarmed on.
 */
function countPossibleDuplicate(functionName: string): void {
  const { namespace, functionNameDimension, possibleDuplicate } = CONSUMER_METRICS;
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [[functionNameDimension]],
            Metrics: [{ Name: possibleDuplicate, Unit: 'Count' }],
          },
        ],
      },
      [functionNameDimension]: functionName,
      [possibleDuplicate]: 1,
    }),
  );
}

/** Powertools Idempotency's error when the handler succeeded but the completion write failed. */
function isUnrecordedCompletion(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'IdempotencyPersistenceLayerError' &&
    error.message.startsWith('Failed to update success record')
  );
}

function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { error: error.name, reason: error.message }
    : { error: typeof error, reason: String(error) };
}

function idempotencySettings(options: IdempotencyOptions): IdempotencySettings {
  const tableName = options.tableName ?? process.env[CONSUMER_ENVIRONMENT.idempotencyTableName];
  if (tableName === undefined || tableName === '') {
    throw new ConsumerConfigurationError(
      `idempotency needs a table: set idempotency.tableName or the ${CONSUMER_ENVIRONMENT.idempotencyTableName} environment variable`,
    );
  }
  const expiresAfterSeconds = options.expiresAfterSeconds ?? DEFAULT_EXPIRES_AFTER_SECONDS;
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds <= 0) {
    throw new ConsumerConfigurationError(
      `idempotency.expiresAfterSeconds must be a positive whole number of seconds, not ${expiresAfterSeconds}`,
    );
  }
  return {
    tableName,
    expiresAfterSeconds,
    keyPrefix:
      options.keyPrefix ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'apideck-event-consumer',
    ...(options.clientConfig === undefined ? {} : { clientConfig: options.clientConfig }),
  };
}

/**
 * Starts loading a module when the handler is created (Lambda's init phase)
 * and hands it over when first awaited; a failed load fails the invocations
 * that need it, never the process.
 */
function preload<T>(load: () => Promise<T>): () => Promise<T> {
  const loading = load();
  loading.catch(() => undefined);
  return () => loading;
}

/**
 * A Lambda handler for an SQS queue that receives the receiver's events (raw
 * delivery or SNS notifications):
 * - each record is parsed ({@link parseEvent}) and given to the handler of its
 *   type; a record that does not parse, or whose handler throws, is reported
 *   in `batchItemFailures` (SQS retries it, then its dead-letter queue keeps
 *   it);
 * - a record whose type has no handler is acknowledged and logged;
 * - with `idempotency`, an event whose handler completed before is
 *   acknowledged without running it again, one whose handler is running
 *   elsewhere is reported as failed (retried later), and one whose handler
 *   threw is left to run again;
 * - on a FIFO queue, the records of a message group after one that failed
 *   fail too, unprocessed, so the group's order holds.
 *
 * @throws {@link ConsumerConfigurationError} at creation when `idempotency` has no table.
 */
export function createSqsHandler<K extends string>(options: SqsHandlerOptions<K>): SqsHandler {
  const logger = options.logger ?? JSON_LINES;
  // Each handler is only ever called with an event of its own key's type (dispatch on `event_type`).
  const handlers = options.handlers as unknown as Readonly<
    Record<string, EventHandler<ApideckEvent>>
  >;
  const run: RunEvent = async (event, context) => {
    const handler = Object.hasOwn(handlers, event.event_type)
      ? handlers[event.event_type]
      : undefined;
    await handler?.(event, context);
    return null;
  };
  const settings =
    options.idempotency === undefined ? undefined : idempotencySettings(options.idempotency);
  const batchRunner = preload(() => import('./batch-runner.ts'));
  const runOnce =
    settings === undefined
      ? () => Promise.resolve(run)
      : preload(async () =>
          (await import('./idempotent-runner.ts')).idempotentRunner(settings, run),
        );

  const processRecord = async (record: SqsRecord, context: LambdaContext): Promise<void> => {
    const at = { messageId: record.messageId };
    let event: ApideckEvent;
    try {
      event = parseEvent(record);
    } catch (error) {
      logger.error('record is not an Apideck event: left to retry, then to the dead-letter queue', {
        ...at,
        ...errorFields(error),
      });
      throw error;
    }
    const about = { ...at, event_type: event.event_type, event_id: event.event_id };
    if (!Object.hasOwn(handlers, event.event_type)) {
      logger.info('no handler for the event type: acknowledged', about);
      return;
    }
    try {
      await (await runOnce())(event, context);
    } catch (error) {
      if (isUnrecordedCompletion(error)) {
        // The one at-least-once window: the retry after the lease runs the handler again.
        logger.error(
          'handler completed, but its completion could not be recorded: its retry may run it again',
          { ...about, possible_duplicate: true, ...errorFields(error) },
        );
        countPossibleDuplicate(context.functionName);
      } else {
        logger.warn('event not completed: left to retry', { ...about, ...errorFields(error) });
      }
      throw error;
    }
  };

  return async (event, context) =>
    (await batchRunner()).processBatch(event, context, (record) => processRecord(record, context));
}
