import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { docsUrl } from '../../../lambda/contract/docs.ts';
import { METRIC_NAMES } from '../../../lambda/contract/metrics.ts';
import {
  COUNT_ALARM_NAMES,
  FIRST_OCCURRENCE,
  P99_LATENCY_PERIODS,
  type ResolvedAlarmThresholds,
} from './alarm-thresholds.ts';
import { createAlarmTopic } from './alarm-topic.ts';
import type { ReceiverMetrics } from './receiver-metrics.ts';

/** Stable names of the receiver's alarms, as keys of {@link ReceiverAlarms.alarms}. */
export const RECEIVER_ALARM_NAMES = [
  ...COUNT_ALARM_NAMES,
  'p99Latency',
  'noEvents',
] as const satisfies readonly (keyof ReceiverAlarmSet)[];

/** The stable name of one of the receiver's alarms. */
export type ReceiverAlarmName = (typeof RECEIVER_ALARM_NAMES)[number];

/**
 * The receiver's alarms by stable name, each notifying `alarmTopic` when it
 * fires and when it recovers (docs/monitoring.md, docs/runbook.md).
 */
export interface ReceiverAlarmSet {
  /** The receiver Lambda failed an invocation (crash, timeout, out of memory). */
  readonly lambdaErrors: cloudwatch.AlarmBase;
  /** The webhook API answered 5xx. */
  readonly api5xx: cloudwatch.AlarmBase;
  /** Deliveries whose signature matches no stored API key reached the threshold. */
  readonly signatureRejected: cloudwatch.AlarmBase;
  /** SNS failed a publish (answered 503, retried by Apideck). */
  readonly publishFailed: cloudwatch.AlarmBase;
  /** A publish failed after SNS may have taken it: a possible duplicate. */
  readonly publishUncertain: cloudwatch.AlarmBase;
  /** A published event's idempotency record was not marked completed. */
  readonly completionFailed: cloudwatch.AlarmBase;
  /** A known event id came back with a different payload (refused 422). */
  readonly payloadConflict: cloudwatch.AlarmBase;
  /** An event of a type without its own topic went to the catch-all topic. */
  readonly unrouted: cloudwatch.AlarmBase;
  /** DynamoDB throttled a request on the idempotency table. */
  readonly dynamoThrottles: cloudwatch.AlarmBase;
  /**
   * SNS gave up delivering to a subscriber. A composite alarm over per-group
   * alarms with more than 10 topics (CloudWatch reads at most 10 metrics per alarm).
   */
  readonly snsNotificationsFailed: cloudwatch.AlarmBase;
  /** The API's p99 latency stayed over its threshold for three periods. */
  readonly p99Latency: cloudwatch.AlarmBase;
  /**
   * No request reached the handler for the configured time.
   *
   * @default - only when the no-events alarm is configured
   */
  readonly noEvents?: cloudwatch.AlarmBase;
}

/** Where an alarm's runbook entry is. */
function runbook(name: ReceiverAlarmName): string {
  return `Runbook: ${docsUrl('runbook.md')}, alarm ${name}.`;
}

/** The construct id of an alarm: its stable name, capitalised. */
function constructId(name: ReceiverAlarmName): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export interface ReceiverAlarmsProps {
  readonly metrics: ReceiverMetrics;
  readonly thresholds: ResolvedAlarmThresholds;
  readonly encryptionKey?: kms.IKey | undefined;
  readonly email?: string | undefined;
}

/**
 * The alarm topic and one alarm per failure an operator must act on, each
 * notifying the topic when it fires and when it recovers.
 */
export class ReceiverAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: ReceiverAlarmSet;

  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: ReceiverAlarmsProps) {
    super(scope, id);
    this.topic = createAlarmTopic(this, {
      encryptionKey: props.encryptionKey,
      email: props.email,
    }).topic;
    this.action = new actions.SnsAction(this.topic);
    const m = props.metrics;
    const t = props.thresholds;

    /** Fires when a five-minute sum reaches the threshold: the first occurrence unless told. */
    const count = (
      name: ReceiverAlarmName,
      metric: cloudwatch.IMetric,
      description: string,
      threshold: number = FIRST_OCCURRENCE,
    ): cloudwatch.Alarm =>
      this.notify(
        new cloudwatch.Alarm(this, constructId(name), {
          metric,
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // EMF and service metrics only exist when something happened: no data is good news.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `${description} ${runbook(name)}`,
        }),
      );

    this.alarms = {
      lambdaErrors: count(
        'lambdaErrors',
        m.lambdaErrors(),
        'The receiver Lambda failed an invocation (crash, timeout or out of memory); API Gateway answered 5xx.',
      ),
      api5xx: count(
        'api5xx',
        m.api5xx(),
        'The webhook API answered 5xx. Apideck retries, but disables the webhook after persistent failure.',
      ),
      signatureRejected: count(
        'signatureRejected',
        m.handler(METRIC_NAMES.signatureRejected),
        `${t.signatureRejected}+ deliveries in 5 minutes had a signature that matches no stored API key: a wrong or rotated key, or someone probing the URL.`,
        t.signatureRejected,
      ),
      publishFailed: count(
        'publishFailed',
        m.handler(METRIC_NAMES.publishFailed),
        'SNS failed a publish; the delivery was answered 503 and is retried by Apideck.',
      ),
      publishUncertain: count(
        'publishUncertain',
        m.handler(METRIC_NAMES.publishUncertain),
        "A publish failed after SNS may have taken it; Apideck's retry publishes the event again, so subscribers may see its event id twice (the log line names it).",
      ),
      completionFailed: count(
        'completionFailed',
        m.handler(METRIC_NAMES.completionFailed),
        'An event was published to SNS but its idempotency record was not marked completed: a retry after the lease ends may publish the same event id again.',
      ),
      payloadConflict: count(
        'payloadConflict',
        m.handler(METRIC_NAMES.payloadConflict),
        'A delivery reused a known event id with a different payload and was refused (422).',
      ),
      unrouted: count(
        'unrouted',
        m.handler(METRIC_NAMES.unrouted),
        'An event had a type without a topic of its own and went to the catch-all topic.',
      ),
      dynamoThrottles: count(
        'dynamoThrottles',
        m.tableThrottles(),
        'DynamoDB throttled a request on the idempotency table; the delivery was answered 503.',
      ),
      snsNotificationsFailed: this.notificationsFailed(m),
      p99Latency: this.notify(
        new cloudwatch.Alarm(this, constructId('p99Latency'), {
          metric: m.apiLatency('p99'),
          threshold: t.p99LatencyMs,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: P99_LATENCY_PERIODS,
          datapointsToAlarm: P99_LATENCY_PERIODS,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `The webhook API's p99 latency was over ${t.p99LatencyMs} ms for ${P99_LATENCY_PERIODS} consecutive 5-minute periods. ${runbook('p99Latency')}`,
        }),
      ),
      ...(t.noEvents ? { noEvents: this.noEvents(m, t.noEvents) } : {}),
    };
  }

  /** Notifies the alarm topic when the alarm fires and when it recovers. */
  private notify<A extends cloudwatch.AlarmBase>(alarm: A): A {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }

  /**
   * One alarm on the sum over every topic; with more than 10 topics, one alarm
   * per group of 10 (without actions) under a composite alarm that notifies.
   */
  private notificationsFailed(m: ReceiverMetrics): cloudwatch.AlarmBase {
    const description = `SNS gave up delivering a message to a subscriber (see the per-topic graph; undeliverable messages are in the subscriptions' dead-letter queues).`;
    const sums = m.notificationsFailedSums();
    const props = (metric: cloudwatch.IMetric, detail: string): cloudwatch.AlarmProps => ({
      metric,
      threshold: FIRST_OCCURRENCE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description}${detail} ${runbook('snsNotificationsFailed')}`,
    });
    const [only] = sums;
    if (only && sums.length === 1) {
      return this.notify(
        new cloudwatch.Alarm(this, constructId('snsNotificationsFailed'), props(only, '')),
      );
    }
    const groups = sums.map(
      (sum, i) =>
        new cloudwatch.Alarm(
          this,
          `${constructId('snsNotificationsFailed')}Group${i + 1}`,
          props(sum, ` Topic group ${i + 1} of ${sums.length}; the composite alarm notifies.`),
        ),
    );
    return this.notify(
      new cloudwatch.CompositeAlarm(this, constructId('snsNotificationsFailed'), {
        alarmRule: cloudwatch.AlarmRule.anyOf(...groups),
        alarmDescription: `${description} ${runbook('snsNotificationsFailed')}`,
      }),
    );
  }

  private noEvents(
    m: ReceiverMetrics,
    window: NonNullable<ResolvedAlarmThresholds['noEvents']>,
  ): cloudwatch.Alarm {
    const minutes = (window.period.toMinutes() * window.evaluationPeriods).toString();
    return this.notify(
      new cloudwatch.Alarm(this, constructId('noEvents'), {
        metric: m.handler(METRIC_NAMES.received, { period: window.period }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: window.evaluationPeriods,
        datapointsToAlarm: window.evaluationPeriods,
        // No request at all writes no datapoint: missing data is exactly what this alarm is for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: `No request reached the receiver for ${minutes} minutes: Apideck may have disabled or deleted the webhook. ${runbook('noEvents')}`,
      }),
    );
  }
}
