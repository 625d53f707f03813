import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { docsUrl } from '../../lambda/contract/docs.ts';
import {
  APIDECK_ENVIRONMENT,
  APIDECK_ENVIRONMENT_DEFAULTS,
  RECONCILIATION_METRIC_NAMES as R,
} from '../../lambda/contract/reconciliation.ts';
import type { ApideckWebhookReceiver } from '../apideck-webhook-receiver.ts';
import { ReceiverConfigurationError } from './configuration-error.ts';
import { optional } from './optional.ts';
import { prebuiltAsset, SUBSCRIPTION_HEALTH_ASSET_DIR } from './receiver-function.ts';
import { receiverParts } from './receiver-parts.ts';

/** Properties of `ApideckSubscriptionHealth`. */
export interface ApideckSubscriptionHealthProps {
  /** The receiver whose Apideck subscriptions are watched and whose event log is reconciled. */
  readonly receiver: ApideckWebhookReceiver;

  /** The Apideck application id (`x-apideck-app-id`), from Apideck's API-keys page. */
  readonly appId: string;

  /**
   * Re-enable a subscription Apideck disabled with `retry_limit`, once a
   * signed ping to this receiver answers 2xx. Never for
   * `delivery_url_validation_failed` or `usage_limit`: those need a person.
   *
   * @default false
   */
  readonly autoReenable?: boolean;

  /**
   * How often the subscriptions are checked; also the period of the
   * `subscriptionDisabled` alarm. At least one minute.
   *
   * @default Duration.minutes(15)
   */
  readonly checkInterval?: Duration;

  /**
   * Whether Apideck's event log is reconciled on a schedule.
   *
   * @default true
   */
  readonly reconcile?: boolean;

  /**
   * How often the event log is reconciled.
   *
   * @default Duration.hours(6)
   */
  readonly reconcileInterval?: Duration;

  /**
   * How much of the event log each scheduled run reads: more than the
   * interval, so runs overlap; whole hours, at most the receiver's
   * `idempotencyRetention` minus its 24-hour replay margin.
   *
   * @default Duration.hours(48)
   */
  readonly reconcileWindow?: Duration;

  /**
   * Base URL of Apideck's API.
   *
   * @default 'https://unify.apideck.com'
   */
  readonly apiUrl?: string;
}

/** The subscription-health alarms, by stable name. */
export interface SubscriptionHealthAlarms {
  /** A subscription to this receiver is disabled, or could not be checked, for two checks in a row. */
  readonly subscriptionDisabled: cloudwatch.Alarm;
  /**
   * A scheduled reconciliation did not finish, or could not recover some events.
   *
   * @default - only with scheduled reconciliation
   */
  readonly reconcileFailed?: cloudwatch.Alarm;
}

/** Stable names of the part's alarms. */
export type SubscriptionHealthAlarmName = keyof SubscriptionHealthAlarms;

/** The defaults of {@link ApideckSubscriptionHealthProps}, as their TSDoc states them. */
export const SUBSCRIPTION_HEALTH_DEFAULTS = {
  autoReenable: false,
  checkInterval: Duration.minutes(15),
  reconcile: true,
  reconcileInterval: Duration.hours(6),
  reconcileWindow: Duration.hours(APIDECK_ENVIRONMENT_DEFAULTS.reconcileWindowHours),
  apiUrl: APIDECK_ENVIRONMENT_DEFAULTS.apiUrl,
} as const;

/** The metric names the function emits. */
const RECONCILIATION_METRICS: ReadonlySet<string> = new Set(Object.values(R));

/** The function's timeout: a reconciliation stops early before it (see the handler). */
const FUNCTION_TIMEOUT = Duration.minutes(5);

/**
 * Subscription health and scheduled reconciliation of Apideck's event log for
 * one receiver (docs/reconciliation.md): a small second function on two schedules: `{"job":"health"}` reads the
 * subscriptions that deliver to this receiver and publishes their state
 * (`SubscriptionDisabled`), re-enabling a `retry_limit` one when asked;
 * `{"job":"reconcile"}` recovers what Apideck logged but never delivered.
 */
export class ApideckSubscriptionHealth extends Construct {
  /** The scheduled function. */
  public readonly function: lambda.Function;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The schedules: health, and reconcile unless turned off. */
  public readonly rules: events.Rule[];
  /** The alarms, by stable name. */
  public readonly alarms: SubscriptionHealthAlarms;

  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ApideckSubscriptionHealthProps) {
    super(scope, id);
    const receiver = receiverParts(props.receiver);
    this.namespace = props.receiver.metricsNamespace;
    const d = SUBSCRIPTION_HEALTH_DEFAULTS;
    const checkInterval = props.checkInterval ?? d.checkInterval;
    const reconcileInterval = props.reconcileInterval ?? d.reconcileInterval;
    const window = props.reconcileWindow ?? d.reconcileWindow;
    const reconcile = props.reconcile ?? d.reconcile;
    this.validate(props.appId, checkInterval, window, receiver.maxWindowHours);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: receiver.logRetention,
      ...optional('encryptionKey', receiver.encryptionKey),
    });
    this.logGroup.grantWrite(receiver.role);

    this.function = new lambda.Function(this, 'Resource', {
      code: prebuiltAsset(SUBSCRIPTION_HEALTH_ASSET_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: FUNCTION_TIMEOUT,
      role: receiver.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.TEXT,
      tracing: lambda.Tracing.ACTIVE,
      // One run at a time: two reconciliations would only race for the same claims.
      reservedConcurrentExecutions: 1,
      ...optional('environmentEncryption', receiver.encryptionKey),
      environment: {
        ...receiver.environment,
        [APIDECK_ENVIRONMENT.appId]: props.appId,
        [APIDECK_ENVIRONMENT.apiUrl]: props.apiUrl ?? d.apiUrl,
        [APIDECK_ENVIRONMENT.webhookUrl]: props.receiver.webhookUrl,
        [APIDECK_ENVIRONMENT.autoReenable]: String(props.autoReenable ?? d.autoReenable),
        [APIDECK_ENVIRONMENT.reconcileWindowHours]: String(window.toHours({ integral: false })),
      },
      description: 'Apideck subscription health and event-log reconciliation (scheduled)',
    });
    for (const rule of ['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']) {
      Validations.of(this.function).acknowledge({
        id: rule,
        reason:
          'Invoked only by its schedules; a failed run is logged and counted (SubscriptionCheckFailed, ReconcileRunFailed, both alarmed) and the next scheduled run repeats it, so a dead-letter queue would hold nothing to act on.',
      });
    }

    const rules = [this.schedule('HealthSchedule', checkInterval, 'health')];
    if (reconcile) rules.push(this.schedule('ReconcileSchedule', reconcileInterval, 'reconcile'));
    this.rules = rules;

    const action = new actions.SnsAction(props.receiver.alarmTopic);
    const runbook = (name: SubscriptionHealthAlarmName) =>
      `Runbook: ${docsUrl('reconciliation.md')}, "Runbook", alarm ${name}.`;
    const disabled = new cloudwatch.Alarm(this, 'SubscriptionDisabled', {
      metric: new cloudwatch.MathExpression({
        // A failed check publishes no state: it counts as disabled, since nothing proves otherwise.
        expression: 'IF(failed > 0, 1, disabled)',
        usingMetrics: {
          disabled: this.metric(R.subscriptionDisabled, {
            statistic: cloudwatch.Stats.MAXIMUM,
            period: checkInterval,
          }),
          failed: this.metric(R.subscriptionCheckFailed, { period: checkInterval }),
        },
        period: checkInterval,
        label: 'Disabled subscriptions (1 when the check failed)',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // No datapoint at all means the check itself did not run.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `An Apideck subscription to this receiver is disabled (or could not be checked) for two checks in a row: nothing is being delivered. ${runbook('subscriptionDisabled')}`,
    });
    disabled.addAlarmAction(action);
    disabled.addOkAction(action);
    let reconcileFailed: cloudwatch.Alarm | undefined;
    if (reconcile) {
      const failed = new cloudwatch.Alarm(this, 'ReconcileFailed', {
        metric: new cloudwatch.MathExpression({
          expression: 'runs + events',
          usingMetrics: {
            runs: this.metric(R.reconcileRunFailed, { period: reconcileInterval }),
            events: this.metric(R.reconcileFailed, { period: reconcileInterval }),
          },
          period: reconcileInterval,
          label: 'Failed reconciliation runs and events',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `A scheduled reconciliation did not finish, or could not recover some events. ${runbook('reconcileFailed')}`,
      });
      failed.addAlarmAction(action);
      failed.addOkAction(action);
      reconcileFailed = failed;
    }
    this.alarms = {
      subscriptionDisabled: disabled,
      ...optional('reconcileFailed', reconcileFailed),
    };
  }

  /**
   * A metric of the function, in the receiver's namespace; the sum over 5
   * minutes unless told.
   *
   * @param metricName one of the function's metric names
   *   (`lambda/contract/reconciliation.ts`), such as `SubscriptionDisabled`
   * @throws ReceiverConfigurationError for a name the function never emits.
   */
  public metric(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!RECONCILIATION_METRICS.has(metricName)) {
      throw new ReceiverConfigurationError(
        this.node.path,
        `metric: the function emits no "${metricName}"; its metrics are ${[...RECONCILIATION_METRICS].join(', ')}`,
      );
    }
    return new cloudwatch.Metric({
      statistic: cloudwatch.Stats.SUM,
      ...options,
      namespace: this.namespace,
      metricName,
    });
  }

  private schedule(id: string, every: Duration, job: 'health' | 'reconcile'): events.Rule {
    const rule = new events.Rule(this, id, {
      schedule: events.Schedule.rate(every),
      description: `Apideck ${job === 'health' ? 'subscription health' : 'event-log reconciliation'}`,
      targets: [
        new targets.LambdaFunction(this.function, {
          event: events.RuleTargetInput.fromObject({ job }),
          // The next scheduled run is the retry.
          retryAttempts: 0,
        }),
      ],
    });
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'A schedule tick carries no data: one that fails to invoke the function is replaced by the next tick, and a run that does not happen shows as missing data, which the subscriptionDisabled alarm treats as breaching.',
    });
    return rule;
  }

  private validate(
    appId: string,
    checkInterval: Duration,
    window: Duration,
    maxWindowHours: number,
  ): void {
    const fail = (problem: string) => {
      throw new ReceiverConfigurationError(this.node.path, problem);
    };
    if (appId.trim() === '') fail('appId must not be empty');
    if (checkInterval.toMinutes({ integral: false }) < 1)
      fail('checkInterval must be at least 1 minute');
    const hours = window.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1) fail('reconcileWindow must be whole hours');
    if (hours > maxWindowHours) {
      fail(
        `reconcileWindow of ${hours} h reaches past what the receiver's idempotency records cover (${maxWindowHours} h: idempotencyRetention minus the replay margin)`,
      );
    }
  }
}
