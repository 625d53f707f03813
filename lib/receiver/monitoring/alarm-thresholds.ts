import { Duration, Token } from 'aws-cdk-lib';
import type { ApideckWebhookReceiverProps } from '../../receiver-props.ts';
import { ReceiverConfigurationError } from '../configuration-error.ts';

/**
 * The three alarm settings that depend on the deployment, as the receiver's
 * props name them. Every other alarm fires on the first occurrence in five
 * minutes, by design: each one is a failure an operator acts on (a lost or
 * doubled delivery in the making), so there is no threshold to tune
 * (docs/monitoring.md).
 */
export type AlarmThresholdProps = Pick<
  ApideckWebhookReceiverProps,
  'signatureRejectedAlarmPerFiveMinutes' | 'p99LatencyAlarmThreshold' | 'noEventsAlarmAfter'
>;

/** The defaults of {@link AlarmThresholdProps}, as their TSDoc states them. */
export const ALARM_THRESHOLD_DEFAULTS = {
  signatureRejectedAlarmPerFiveMinutes: 20,
  p99LatencyAlarmThreshold: Duration.seconds(3),
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

/** {@link AlarmThresholdProps} with the defaults applied and validated. */
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
    `noEventsAlarmAfter must be a whole multiple of 5 minutes from 5 minutes to 1 day, or whole hours up to 7 days, got ${duration.toHumanString()}`,
  );
}

/** Applies the defaults and rejects thresholds CloudWatch would refuse or that could never fire. */
export function resolveAlarmThresholds(
  path: string,
  thresholds: AlarmThresholdProps = {},
): ResolvedAlarmThresholds {
  const d = ALARM_THRESHOLD_DEFAULTS;
  const signatureRejected =
    thresholds.signatureRejectedAlarmPerFiveMinutes ?? d.signatureRejectedAlarmPerFiveMinutes;
  if (
    !Token.isUnresolved(signatureRejected) &&
    (!Number.isInteger(signatureRejected) || signatureRejected < 1 || signatureRejected > 1_000_000)
  ) {
    throw new ReceiverConfigurationError(
      path,
      `signatureRejectedAlarmPerFiveMinutes must be an integer from 1 to 1000000, got ${signatureRejected}`,
    );
  }
  const latencyMs = (
    thresholds.p99LatencyAlarmThreshold ?? d.p99LatencyAlarmThreshold
  ).toMilliseconds();
  if (!Number.isInteger(latencyMs) || latencyMs < 1 || latencyMs > MAX_LATENCY_MS) {
    throw new ReceiverConfigurationError(
      path,
      `p99LatencyAlarmThreshold must be whole milliseconds from 1 ms to ${MAX_LATENCY_MS / 1000} s (API Gateway's timeout), got ${latencyMs} ms`,
    );
  }
  return {
    signatureRejected,
    p99LatencyMs: latencyMs,
    noEvents:
      thresholds.noEventsAlarmAfter === undefined
        ? undefined
        : noEventsWindow(path, thresholds.noEventsAlarmAfter),
  };
}
