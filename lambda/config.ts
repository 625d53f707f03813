import {
  ENVIRONMENT,
  ENVIRONMENT_DEFAULTS,
  MIN_ACCEPTED_EVENT_AGE_HOURS,
} from './contract/environment.ts';
import { CATCH_ALL_ROUTE } from './contract/event-catalogue.ts';
import {
  MAX_BODY_BYTES_LIMIT,
  MIN_BODY_BYTES_LIMIT,
  MIN_REPLAY_MARGIN_HOURS,
  RETENTION_DAYS_RANGE,
  replayWindowCoversRetries,
} from './contract/limits.ts';
import { ConfigurationError } from './errors.ts';

/** The handler's configuration, read and validated once at cold start. */
export interface ReceiverConfig {
  readonly tableName: string;
  /** Event type -> topic ARN, with the catch-all under `"*"`. */
  readonly topicArns: Readonly<Record<string, string>>;
  readonly signingSecretId: string;
  readonly retentionDays: number;
  readonly replayMarginHours: number;
  readonly maxClockSkewSeconds: number;
  readonly maxBodyBytes: number;
  readonly leaseMarginSeconds: number;
  readonly keyRefreshIntervalSeconds: number;
  readonly metricsNamespace: string;
  /** Whether the topics are FIFO topics (publishes carry a deduplication id and a group). */
  readonly fifo: boolean;
  /** Whether the metrics carry the `EventType` dimension beside the service totals. */
  readonly metricsByEventType: boolean;
}

type Environment = Readonly<Record<string, string | undefined>>;

function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') throw new ConfigurationError(name, 'is required');
  return value;
}

function integer(
  env: Environment,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigurationError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigurationError(name, `must be "true" or "false", got "${raw}"`);
}

/** SNS FIFO topic names end in `.fifo`; a publish to one without a group fails on every retry. */
function checkTopicKinds(topicArns: Readonly<Record<string, string>>, fifo: boolean): void {
  for (const [type, arn] of Object.entries(topicArns)) {
    if (arn.endsWith('.fifo') !== fifo) {
      throw new ConfigurationError(
        ENVIRONMENT.topicArns,
        `has ${fifo ? 'a standard' : 'a FIFO'} topic for "${type}" while ${ENVIRONMENT.fifo} is ${fifo}`,
      );
    }
  }
}

function topicArns(env: Environment): Record<string, string> {
  const name = ENVIRONMENT.topicArns;
  let parsed: unknown;
  try {
    parsed = JSON.parse(required(env, name));
  } catch (cause) {
    if (cause instanceof ConfigurationError) throw cause;
    throw new ConfigurationError(name, 'must be a JSON object', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(name, 'must be a JSON object of event type to topic ARN');
  }
  const entries = Object.entries(parsed);
  for (const [type, arn] of entries) {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
      throw new ConfigurationError(name, `has no topic ARN for "${type}"`);
    }
  }
  const map = Object.fromEntries(entries) as Record<string, string>;
  if (!Object.hasOwn(map, CATCH_ALL_ROUTE)) {
    throw new ConfigurationError(name, `needs a "${CATCH_ALL_ROUTE}" catch-all topic`);
  }
  return map;
}

/**
 * Reads the configuration from the environment (see the README's
 * Configuration table).
 *
 * @throws ConfigurationError naming the first missing or invalid variable.
 */
export function loadConfig(env: Environment): ReceiverConfig {
  const d = ENVIRONMENT_DEFAULTS;
  const retentionDays = integer(
    env,
    ENVIRONMENT.retentionDays,
    d.retentionDays,
    RETENTION_DAYS_RANGE.min,
    RETENTION_DAYS_RANGE.max,
  );
  const replayMarginHours = integer(
    env,
    ENVIRONMENT.replayMarginHours,
    d.replayMarginHours,
    MIN_REPLAY_MARGIN_HOURS,
    24 * 365,
  );
  if (!replayWindowCoversRetries(retentionDays, replayMarginHours)) {
    throw new ConfigurationError(
      env[ENVIRONMENT.replayMarginHours] === undefined
        ? ENVIRONMENT.retentionDays
        : ENVIRONMENT.replayMarginHours,
      `: ${retentionDays} days of retention minus ${replayMarginHours} hours of replay margin ` +
        `leave fewer than the ${MIN_ACCEPTED_EVENT_AGE_HOURS} hours Apideck's retries need`,
    );
  }
  const maxClockSkewSeconds = integer(
    env,
    ENVIRONMENT.maxClockSkewSeconds,
    d.maxClockSkewSeconds,
    0,
    3600,
  );
  // A replay accepted just before its record expires must still be inside the margin.
  if (maxClockSkewSeconds >= replayMarginHours * 3600) {
    throw new ConfigurationError(
      ENVIRONMENT.maxClockSkewSeconds,
      `must be less than ${ENVIRONMENT.replayMarginHours} (${replayMarginHours} h)`,
    );
  }
  const topics = topicArns(env);
  const fifo = flag(env, ENVIRONMENT.fifo, d.fifo);
  checkTopicKinds(topics, fifo);
  return {
    tableName: required(env, ENVIRONMENT.tableName),
    topicArns: topics,
    fifo,
    signingSecretId: required(env, ENVIRONMENT.signingSecretId),
    retentionDays,
    replayMarginHours,
    maxClockSkewSeconds,
    // Beyond what the pipeline can carry (SNS's message limit), a body could never be published.
    maxBodyBytes: integer(
      env,
      ENVIRONMENT.maxBodyBytes,
      d.maxBodyBytes,
      MIN_BODY_BYTES_LIMIT,
      MAX_BODY_BYTES_LIMIT,
    ),
    leaseMarginSeconds: integer(env, ENVIRONMENT.leaseMarginSeconds, d.leaseMarginSeconds, 1, 900),
    keyRefreshIntervalSeconds: integer(
      env,
      ENVIRONMENT.keyRefreshIntervalSeconds,
      d.keyRefreshIntervalSeconds,
      1,
      86_400,
    ),
    metricsNamespace: env[ENVIRONMENT.metricsNamespace]?.trim() || d.metricsNamespace,
    metricsByEventType: flag(env, ENVIRONMENT.metricsByEventType, d.metricsByEventType),
  };
}
