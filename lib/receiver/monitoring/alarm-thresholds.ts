import { Duration, Token } from 'aws-cdk-lib';
import { ReceiverConfigurationError } from '../configuration-error.ts';

/**
 * Thresholds of the receiver's alarms. Counts are per five-minute period; an
 * alarm fires when a period reaches its threshold. Every alarm notifies the
 * alarm topic when it fires and again when it recovers.
 */
export interface ReceiverAlarmThresholds {
  /**
   * Lambda `Errors` in five minutes: invocations that crashed, timed out or ran
   * out of memory. The handler answers every failure it can see itself, so any
   * error here means a bug or a limit, and API Gateway answered 5xx.
   *
   * @default 1
   */
  readonly lambdaErrors?: number;

  /**
   * API Gateway `5XXError` in five minutes: the 503s of an unavailable
   * dependency, the 500s of a bug, and the gateway's own 5xx. Apideck retries
   * them, but disables the webhook after persistent failure.
   *
   * @default 1
   */
  readonly api5xx?: number;

  /**
   * `SignatureRejected` in five minutes: deliveries whose signature matches no
   * configured key. A spike means the stored API key is wrong (or was rotated in
   * Apideck only) or someone is probing the URL. Requests without the header
   * are answered by API Gateway and not counted here.
   *
   * @default 20
   */
  readonly signatureRejected?: number;

  /**
   * `PublishFailed` in five minutes: SNS refused or failed a publish (the
   * delivery was answered 503 and is retried by Apideck).
   *
   * @default 1
   */
  readonly publishFailed?: number;

  /**
   * `CompletionFailed` in five minutes: events published to SNS whose
   * idempotency record could not be marked completed. This is the one window in
   * which an event may be published twice: a retry that arrives after the
   * claim's lease ends claims the event again and publishes it a second time.
   *
   * @default 1 (fires on the first such event)
   */
  readonly completionFailed?: number;

  /**
   * `PayloadConflict` in five minutes: an event id arrived again with a
   * different payload and was refused (422).
   *
   * @default 1
   */
  readonly payloadConflict?: number;

  /**
   * `Unrouted` in five minutes: events of a type without a topic of their own,
   * published to the catch-all topic.
   *
   * @default 1
   */
  readonly unrouted?: number;

  /**
   * DynamoDB `ThrottledRequests` on the idempotency table in five minutes,
   * summed over the operations the handler uses.
   *
   * @default 1
   */
  readonly dynamoThrottles?: number;

  /**
   * SNS `NumberOfNotificationsFailed` in five minutes, summed over every event
   * topic: deliveries to subscribers that SNS gave up on (they go to the
   * subscription's dead-letter queue, if it has one).
   *
   * @default 1
   */
  readonly snsNotificationsFailed?: number;

  /**
   * API Gateway p99 `Latency` above which a five-minute period breaches.
   * Between 1 millisecond and 29 seconds (API Gateway's integration timeout).
   *
   * @default Duration.seconds(3)
   */
  readonly p99Latency?: Duration;

  /**
   * Consecutive five-minute periods the p99 latency must breach before the
   * alarm fires (one slow cold start should not page anyone).
   *
   * @default 3
   */
  readonly p99LatencyPeriods?: number;

  /**
   * Fire when no request reached the handler for this long: Apideck stopped
   * delivering (the webhook was disabled or deleted), or something in front of
   * the Lambda turns everything away. Whole multiples of five minutes up to one
   * day, or whole hours up to seven days.
   *
   * @default - no such alarm (quiet periods are normal for many integrations)
   */
  readonly noEventsFor?: Duration;
}

/** The defaults of {@link ReceiverAlarmThresholds}, named once for the TSDoc, the code and the tests. */
export const ALARM_THRESHOLD_DEFAULTS = {
  lambdaErrors: 1,
  api5xx: 1,
  signatureRejected: 20,
  publishFailed: 1,
  completionFailed: 1,
  payloadConflict: 1,
  unrouted: 1,
  dynamoThrottles: 1,
  snsNotificationsFailed: 1,
  p99Latency: Duration.seconds(3),
  p99LatencyPeriods: 3,
} as const;

/** The period every count alarm sums over. */
export const ALARM_PERIOD = Duration.minutes(5);

/** How the no-events alarm looks at time: `evaluationPeriods` consecutive empty periods. */
export interface NoEventsWindow {
  readonly period: Duration;
  readonly evaluationPeriods: number;
}

/** {@link ReceiverAlarmThresholds} with the defaults applied and validated. */
export interface ResolvedAlarmThresholds {
  readonly lambdaErrors: number;
  readonly api5xx: number;
  readonly signatureRejected: number;
  readonly publishFailed: number;
  readonly completionFailed: number;
  readonly payloadConflict: number;
  readonly unrouted: number;
  readonly dynamoThrottles: number;
  readonly snsNotificationsFailed: number;
  readonly p99LatencyMs: number;
  readonly p99LatencyPeriods: number;
  readonly noEvents: NoEventsWindow | undefined;
}

type CountThreshold = Exclude<
  keyof ResolvedAlarmThresholds,
  'p99LatencyMs' | 'p99LatencyPeriods' | 'noEvents'
>;

/** The alarms that count events per period; each has a threshold of the same name. */
export const COUNT_ALARM_NAMES = [
  'lambdaErrors',
  'api5xx',
  'signatureRejected',
  'publishFailed',
  'completionFailed',
  'payloadConflict',
  'unrouted',
  'dynamoThrottles',
  'snsNotificationsFailed',
] as const satisfies readonly CountThreshold[];

/** API Gateway gives up on an integration after 29 seconds; a higher threshold could never breach. */
const MAX_LATENCY_MS = 29_000;
/** CloudWatch evaluates at most one day of periods shorter than an hour, and seven days otherwise. */
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;
const FIVE_MINUTES_SECONDS = 300;
const ONE_HOUR_SECONDS = 3_600;

function positiveInteger(path: string, name: string, value: number, max: number): number {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw new ReceiverConfigurationError(
      path,
      `alarms.${name} must be an integer from 1 to ${max}, got ${value}`,
    );
  }
  return value;
}

/**
 * The no-events alarm as consecutive empty periods: five-minute periods up to
 * a day (CloudWatch's limit for periods under an hour), hourly ones beyond.
 */
export function noEventsWindow(path: string, duration: Duration): NoEventsWindow {
  const seconds = duration.toSeconds({ integral: false });
  if (seconds >= FIVE_MINUTES_SECONDS && seconds <= ONE_DAY_SECONDS) {
    if (seconds % FIVE_MINUTES_SECONDS === 0) {
      return { period: ALARM_PERIOD, evaluationPeriods: seconds / FIVE_MINUTES_SECONDS };
    }
  } else if (seconds > ONE_DAY_SECONDS && seconds <= SEVEN_DAYS_SECONDS) {
    if (seconds % ONE_HOUR_SECONDS === 0) {
      return { period: Duration.hours(1), evaluationPeriods: seconds / ONE_HOUR_SECONDS };
    }
  }
  throw new ReceiverConfigurationError(
    path,
    `alarms.noEventsFor must be a whole multiple of 5 minutes from 5 minutes to 1 day, or whole hours up to 7 days, got ${duration.toHumanString()}`,
  );
}

/** Applies the defaults and rejects thresholds CloudWatch would refuse or that could never fire. */
export function resolveAlarmThresholds(
  path: string,
  thresholds: ReceiverAlarmThresholds = {},
): ResolvedAlarmThresholds {
  const d = ALARM_THRESHOLD_DEFAULTS;
  const counts = Object.fromEntries(
    COUNT_ALARM_NAMES.map((name) => [
      name,
      positiveInteger(path, name, thresholds[name] ?? d[name], 1_000_000),
    ]),
  ) as Record<CountThreshold, number>;
  const latencyMs = (thresholds.p99Latency ?? d.p99Latency).toMilliseconds();
  if (!Number.isInteger(latencyMs) || latencyMs < 1 || latencyMs > MAX_LATENCY_MS) {
    throw new ReceiverConfigurationError(
      path,
      `alarms.p99Latency must be whole milliseconds from 1 ms to ${MAX_LATENCY_MS / 1000} s (API Gateway's timeout), got ${latencyMs} ms`,
    );
  }
  return {
    ...counts,
    p99LatencyMs: latencyMs,
    // Five-minute periods may span at most a day: 288 of them.
    p99LatencyPeriods: positiveInteger(
      path,
      'p99LatencyPeriods',
      thresholds.p99LatencyPeriods ?? d.p99LatencyPeriods,
      ONE_DAY_SECONDS / FIVE_MINUTES_SECONDS,
    ),
    noEvents:
      thresholds.noEventsFor === undefined
        ? undefined
        : noEventsWindow(path, thresholds.noEventsFor),
  };
}
