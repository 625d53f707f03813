import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { ApideckSubscriptionHealthProps } from '../receiver/subscription-health.ts';
import type { ApideckWebhookReceiverProps } from '../receiver-props.ts';

/** Thrown for a CDK context value the ready app cannot use; the message names the key. */
export class ContextValueError extends Error {
  constructor(
    public readonly key: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`context "${key}": ${message}`, options);
    this.name = 'ContextValueError';
  }
}

/** Props that take a construct (a key, a secret), settable only in code. */
export const CODE_ONLY_PROPS = ['signingSecret', 'encryptionKey'] as const;

type ContextProps = Omit<ApideckWebhookReceiverProps, (typeof CODE_ONLY_PROPS)[number]>;

/** The subscription-health settings of the ready app: its construct's props but the receiver. */
export type SubscriptionHealthSettings = Omit<ApideckSubscriptionHealthProps, 'receiver'>;

/** How one context value is read: `-c key=value` gives a string, `cdk.json` any JSON value. */
interface ContextReader<T> {
  /** What the value looks like, for the error message and docs/configuration.md. */
  readonly format: string;
  readonly read: (key: string, value: unknown) => T;
}

const bool: ContextReader<boolean> = {
  format: '`true` or `false`',
  read: (key, value) => {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ContextValueError(key, `must be true or false, got ${JSON.stringify(value)}`);
  },
};

const integer: ContextReader<number> = {
  format: 'integer',
  read: (key, value) => {
    const number =
      typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
      throw new ContextValueError(key, `must be an integer, got ${JSON.stringify(value)}`);
    }
    return number;
  },
};

const text: ContextReader<string> = {
  format: 'string',
  read: (key, value) => {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ContextValueError(key, `must be a non-empty string, got ${JSON.stringify(value)}`);
    }
    return value.trim();
  },
};

const list: ContextReader<string[]> = {
  format: 'JSON array of strings, or comma-separated',
  read: (key, value) => {
    let items: unknown = value;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) {
        try {
          items = JSON.parse(trimmed);
        } catch (cause) {
          throw new ContextValueError(key, `is not a valid JSON array: ${trimmed}`, { cause });
        }
      } else {
        items = trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
      }
    }
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string' && item !== '')) {
      throw new ContextValueError(
        key,
        `must be a list of non-empty strings, got ${JSON.stringify(value)}`,
      );
    }
    return items as string[];
  },
};

const duration: ContextReader<Duration> = {
  format: 'ISO 8601 duration (`P7D`, `PT3S`, `PT6H`)',
  read: (key, value) => {
    if (typeof value !== 'string') {
      throw new ContextValueError(
        key,
        `must be an ISO 8601 duration such as "P7D", got ${JSON.stringify(value)}`,
      );
    }
    try {
      return Duration.parse(value.trim());
    } catch (cause) {
      throw new ContextValueError(
        key,
        `must be an ISO 8601 duration such as "P7D", got ${JSON.stringify(value)}`,
        { cause },
      );
    }
  },
};

const RETENTION_DAY_VALUES = new Set<number>(
  Object.values(logs.RetentionDays).filter((day): day is number => typeof day === 'number'),
);

const retentionDays: ContextReader<logs.RetentionDays> = {
  format: 'days CloudWatch Logs offers (1, 3, 5, 7, 14, 30, … 3653)',
  read: (key, value) => {
    const days = integer.read(key, value);
    if (!RETENTION_DAY_VALUES.has(days)) {
      throw new ContextValueError(
        key,
        `must be one of CloudWatch Logs' retention periods in days (${[...RETENTION_DAY_VALUES].sort((a, b) => a - b).join(', ')}), got ${days}`,
      );
    }
    return days as logs.RetentionDays;
  },
};

/**
 * A reader of a JSON object whose members each have their own reader (a
 * string is parsed as JSON first); `what` names the settings in the error for
 * an unknown member, `required` lists members that must be present.
 */
function objectReader<T>(
  format: string,
  readers: Readonly<Record<string, ContextReader<unknown>>>,
  what: string,
  required: readonly string[] = [],
): ContextReader<T> {
  return {
    format,
    read: (key, value) => {
      let object: unknown = value;
      if (typeof value === 'string') {
        try {
          object = JSON.parse(value);
        } catch (cause) {
          throw new ContextValueError(key, `is not a valid JSON object: ${value}`, { cause });
        }
      }
      if (typeof object !== 'object' || object === null || Array.isArray(object)) {
        throw new ContextValueError(key, `must be a JSON object, got ${JSON.stringify(value)}`);
      }
      const result: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(object)) {
        const reader = readers[name];
        if (!reader) {
          throw new ContextValueError(
            `${key}.${name}`,
            `is not ${what}; known: ${Object.keys(readers).join(', ')}`,
          );
        }
        result[name] = reader.read(`${key}.${name}`, item);
      }
      for (const name of required) {
        if (result[name] === undefined)
          throw new ContextValueError(`${key}.${name}`, 'is required');
      }
      return result as T;
    },
  };
}

const SUBSCRIPTION_HEALTH_READERS: {
  readonly [K in keyof Required<SubscriptionHealthSettings>]: ContextReader<
    NonNullable<SubscriptionHealthSettings[K]>
  >;
} = {
  appId: text,
  autoReenable: bool,
  checkInterval: duration,
  reconcile: bool,
  reconcileInterval: duration,
  reconcileWindow: duration,
  apiUrl: text,
};

/** `subscriptionHealth` (docs/reconciliation.md): a JSON object, `appId` required. */
const subscriptionHealth = objectReader<SubscriptionHealthSettings>(
  'JSON object of `appId` (required), `apiUrl` (strings), `autoReenable`, `reconcile` (booleans), `checkInterval`, `reconcileInterval`, `reconcileWindow` (ISO 8601 durations)',
  SUBSCRIPTION_HEALTH_READERS,
  'a subscription-health setting',
  ['appId'],
);

/**
 * The reader of every receiver prop with a plain value, by the prop's name,
 * which is also its context key. The type makes a new prop without a reader
 * (or a listing in {@link CODE_ONLY_PROPS}) a compile error.
 */
export const RECEIVER_CONTEXT_READERS: {
  readonly [K in keyof Required<ContextProps>]: ContextReader<NonNullable<ContextProps[K]>>;
} = {
  eventTypes: list,
  idempotencyRetention: duration,
  throttlingRateLimit: integer,
  throttlingBurstLimit: integer,
  webApplicationFirewall: bool,
  firewallRateLimitPerFiveMinutes: integer,
  maxBodyBytes: integer,
  memorySizeMiB: integer,
  logRetention: retentionDays,
  subscriberAccountIds: list,
  topicParameterPrefix: text,
  tableDeletionProtection: bool,
  metricsNamespace: text,
  createApiGatewayCloudWatchRole: bool,
  alarmEmail: text,
  signatureRejectedAlarmPerFiveMinutes: integer,
  p99LatencyAlarmThreshold: duration,
  noEventsAlarmAfter: duration,
  dashboard: bool,
  fifo: bool,
  archiveRetention: duration,
};

/**
 * Keys the ready app read before their props were renamed, and what to set
 * instead: a deployment still setting one fails with that answer rather than
 * silently losing its setting.
 */
export const REPLACED_CONTEXT_KEYS: Readonly<Record<string, string>> = {
  alarms:
    'one key per alarm setting: signatureRejectedAlarmPerFiveMinutes (integer), p99LatencyAlarmThreshold and noEventsAlarmAfter (ISO 8601 durations)',
  archiveRetentionDays: 'archiveRetention, an ISO 8601 duration such as "P14D"',
  memorySize: 'memorySizeMiB',
};

/** The context keys the ready app reads, in the order of the props. */
export const RECEIVER_CONTEXT_KEYS = Object.keys(
  RECEIVER_CONTEXT_READERS,
) as (keyof ContextProps)[];

/** What a context key's value looks like. */
export function contextFormat(key: keyof ContextProps): string {
  return RECEIVER_CONTEXT_READERS[key].format;
}

/**
 * The receiver props set as CDK context (`cdk deploy -c alarmEmail=ops@example.com`
 * or `cdk.json`'s `context`), each under the prop's own name. Unset keys are
 * left out, so the construct's defaults apply; the construct then validates
 * the values as it does in code.
 *
 * @throws ContextValueError naming the first key whose value cannot be read.
 */
export function receiverPropsFromContext(node: Node): ApideckWebhookReceiverProps {
  for (const [key, replacement] of Object.entries(REPLACED_CONTEXT_KEYS)) {
    if (node.tryGetContext(key) !== undefined) {
      throw new ContextValueError(key, `is no longer read: set ${replacement}`);
    }
  }
  const props: Record<string, unknown> = {};
  for (const key of RECEIVER_CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null) continue;
    props[key] = RECEIVER_CONTEXT_READERS[key].read(key, value);
  }
  return props as ApideckWebhookReceiverProps;
}

/** The context key of the subscription-health settings (docs/reconciliation.md). */
export const SUBSCRIPTION_HEALTH_CONTEXT_KEY = 'subscriptionHealth';

/** The format of {@link SUBSCRIPTION_HEALTH_CONTEXT_KEY}'s value. */
export const SUBSCRIPTION_HEALTH_CONTEXT_FORMAT = subscriptionHealth.format;

/**
 * The `ApideckSubscriptionHealth` settings set as the `subscriptionHealth`
 * context value (a JSON object, `appId` required), or undefined when unset.
 *
 * @throws ContextValueError naming the member that cannot be read.
 */
export function subscriptionHealthFromContext(node: Node): SubscriptionHealthSettings | undefined {
  const value: unknown = node.tryGetContext(SUBSCRIPTION_HEALTH_CONTEXT_KEY);
  if (value === undefined || value === null) return undefined;
  return subscriptionHealth.read(SUBSCRIPTION_HEALTH_CONTEXT_KEY, value);
}
