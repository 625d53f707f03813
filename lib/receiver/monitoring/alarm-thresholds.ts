import { Duration, Token } from 'aws-cdk-lib';
import { ReceiverConfigurationError } from '../configuration-error.ts';

/**
 * The three alarm settings that depend on the deployment. Every other alarm
 * fires on the first occurrence in five minutes, by design: each one is a
 * failure an operator acts on (a lost or doubled delivery in the making), so
 * there is no threshold to tune (docs/monitoring.md).
 */
export interface ReceiverAlarmThresholds {
  /**
   * `SignatureRejected` in five minutes: deliveries whose signature matches no
   * configured key. A spike means the stored API key is wrong (or was rotated in
   * Apideck only) or someone is probing the URL, whose background level varies
   * by deployment. Requests without the header are answered by API Gateway and
   * not counted here.
   *
   * @default 20
   */
  readonly signatureRejected?: number;

  /**
   * API Gateway p99 `Latency` above which a five-minute period breaches; the
   * alarm fires after three consecutive breaching periods (one slow cold start
   * should not page anyone). Between 1 millisecond and 29 seconds (API
   * Gateway's integration timeout).
   *
   * @default Duration.seconds(3)
   */
  readonly p99Latency?: Duration;

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
  signatureRejected: 20,
  p99Latency: Duration.seconds(3),
} as const;

/** The threshold of every count alarm but `signatureRejected`: the first occurrence. */
export const FIRST_OCCURRENCE = 1;

/** Consecutive breaching five-minute periods before the p99 latency alarm fires. */
export const P99_LATENCY_PERIODS = 3;

/** The period every count alarm sums over. */
export const ALARM_PERIOD = Duration.minutes(5);

/** The alarms that count events per period. */
export const COUNT_ALARM_NAMES = [
  'lambdaErrors',
  'api5xx',
  'signatureRejected',
  'publishFailed',
  'publishUncertain',
  'completionFailed',
  'payloadConflict',
  'unrouted',
  'dynamoThrottles',
  'snsNotificationsFailed',
] as const;

/** How the no-events alarm looks at time: `evaluationPeriods` consecutive empty periods. */
export interface NoEventsWindow {
  readonly period: Duration;
  readonly evaluationPeriods: number;
}

/** {@link ReceiverAlarmThresholds} with the defaults applied and validated. */
export interface ResolvedAlarmThresholds {
  readonly signatureRejected: number;
  readonly p99LatencyMs: number;
  readonly noEvents: NoEventsWindow | undefined;
}

/** API Gateway gives up on an integration after 29 seconds; a higher threshold could never breach. */
const MAX_LATENCY_MS = 29_000;
/** CloudWatch evaluates at most one day of periods shorter than an hour, and seven days otherwise. */
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;
const FIVE_MINUTES_SECONDS = 300;
const ONE_HOUR_SECONDS = 3_600;

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
  const signatureRejected = thresholds.signatureRejected ?? d.signatureRejected;
  if (
    !Token.isUnresolved(signatureRejected) &&
    (!Number.isInteger(signatureRejected) || signatureRejected < 1 || signatureRejected > 1_000_000)
  ) {
    throw new ReceiverConfigurationError(
      path,
      `alarms.signatureRejected must be an integer from 1 to 1000000, got ${signatureRejected}`,
    );
  }
  const latencyMs = (thresholds.p99Latency ?? d.p99Latency).toMilliseconds();
  if (!Number.isInteger(latencyMs) || latencyMs < 1 || latencyMs > MAX_LATENCY_MS) {
    throw new ReceiverConfigurationError(
      path,
      `alarms.p99Latency must be whole milliseconds from 1 ms to ${MAX_LATENCY_MS / 1000} s (API Gateway's timeout), got ${latencyMs} ms`,
    );
  }
  return {
    signatureRejected,
    p99LatencyMs: latencyMs,
    noEvents:
      thresholds.noEventsFor === undefined
        ? undefined
        : noEventsWindow(path, thresholds.noEventsFor),
  };
}
