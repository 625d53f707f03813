import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { docsUrl } from '../../lambda/contract/docs.ts';
import {
  APIDECK_ENVIRONMENT,
  APIDECK_ENVIRONMENT_DEFAULTS,
  RECONCILIATION_METRIC_NAMES as R,
  type ReconciliationMetricName,
} from '../../lambda/contract/reconciliation.ts';
import { ReceiverConfigurationError } from './configuration-error.ts';
import { optional } from './optional.ts';
import { prebuiltAsset, SUBSCRIPTION_HEALTH_ASSET_DIR } from './receiver-function.ts';

/**
 * Subscription health and scheduled reconciliation, opt-in: set `appId` to
 * turn them on (docs/reconciliation.md).
 */
export interface SubscriptionHealthOptions {
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
   * `subscriptionDisabled` alarm.
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
   * interval, so runs overlap; at most the retention minus the replay margin.
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

/** What the part is built from (the receiver's resources). */
export interface SubscriptionHealthProps extends SubscriptionHealthOptions {
  /** The receiver's delivery URL: only subscriptions and log entries for it count. */
  readonly webhookUrl: string;
  /**
   * The receiver's role: the function needs exactly its table, topic and secret
   * permissions, and a secret the receiver created admits only that role.
   */
  readonly role: iam.IRole;
  /** The receiver's environment (table, topics, secret, retention, namespace). */
  readonly environment: Readonly<Record<string, string>>;
  readonly metricsNamespace: string;
  /** Hours of retention minus replay margin: the longest window a reconciliation may read. */
  readonly maxWindowHours: number;
  readonly logRetention: logs.RetentionDays;
  readonly alarmTopic: sns.ITopic;
  readonly encryptionKey?: kms.IKey | undefined;
}

/** Stable names of the part's alarms. */
export type SubscriptionHealthAlarmName = 'subscriptionDisabled' | 'reconcileFailed';

/** The function's timeout: a reconciliation stops early before it (see the handler). */
const FUNCTION_TIMEOUT = Duration.minutes(5);

/**
 * A small second function on two schedules: `{"job":"health"}` reads the
 * subscriptions that deliver to this receiver and publishes their state
 * (`SubscriptionDisabled`), re-enabling a `retry_limit` one when asked;
 * `{"job":"reconcile"}` recovers what Apideck logged but never delivered.
 */
export class SubscriptionHealth extends Construct {
  /** The scheduled function. */
  public readonly function: lambda.Function;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The schedules: health, and reconcile unless turned off. */
  public readonly rules: readonly events.Rule[];
  /** The alarms, by stable name (`reconcileFailed` only with scheduled reconciliation). */
  public readonly alarms: Readonly<Partial<Record<SubscriptionHealthAlarmName, cloudwatch.Alarm>>>;

  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: SubscriptionHealthProps) {
    super(scope, id);
    this.namespace = props.metricsNamespace;
    const checkInterval = props.checkInterval ?? Duration.minutes(15);
    const reconcileInterval = props.reconcileInterval ?? Duration.hours(6);
    const window =
      props.reconcileWindow ?? Duration.hours(APIDECK_ENVIRONMENT_DEFAULTS.reconcileWindowHours);
    const reconcile = props.reconcile ?? true;
    this.validate(props, checkInterval, window);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      ...optional('encryptionKey', props.encryptionKey),
    });
    this.logGroup.grantWrite(props.role);

    this.function = new lambda.Function(this, 'Resource', {
      code: prebuiltAsset(SUBSCRIPTION_HEALTH_ASSET_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: FUNCTION_TIMEOUT,
      role: props.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.TEXT,
      tracing: lambda.Tracing.ACTIVE,
      // One run at a time: two reconciliations would only race for the same claims.
      reservedConcurrentExecutions: 1,
      ...optional('environmentEncryption', props.encryptionKey),
      environment: {
        ...props.environment,
        [APIDECK_ENVIRONMENT.appId]: props.appId,
        [APIDECK_ENVIRONMENT.apiUrl]: props.apiUrl ?? APIDECK_ENVIRONMENT_DEFAULTS.apiUrl,
        [APIDECK_ENVIRONMENT.webhookUrl]: props.webhookUrl,
        [APIDECK_ENVIRONMENT.autoReenable]: String(props.autoReenable ?? false),
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

    const action = new actions.SnsAction(props.alarmTopic);
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
    const alarms: Partial<Record<SubscriptionHealthAlarmName, cloudwatch.Alarm>> = {
      subscriptionDisabled: disabled,
    };
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
      alarms.reconcileFailed = failed;
    }
    this.alarms = alarms;
  }

  /** A metric of the function, in the receiver's namespace; the sum over 5 minutes unless told. */
  public metric(
    metricName: ReconciliationMetricName,
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
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
    props: SubscriptionHealthProps,
    checkInterval: Duration,
    window: Duration,
  ): void {
    const fail = (problem: string) => {
      throw new ReceiverConfigurationError(this.node.path, problem);
    };
    if (props.appId.trim() === '') fail('subscriptionHealth.appId must not be empty');
    if (checkInterval.toMinutes({ integral: false }) < 1)
      fail('subscriptionHealth.checkInterval must be at least 1 minute');
    const hours = window.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1)
      fail('subscriptionHealth.reconcileWindow must be whole hours');
    if (hours > props.maxWindowHours) {
      fail(
        `subscriptionHealth.reconcileWindow of ${hours} h reaches past what the idempotency records cover (${props.maxWindowHours} h: retention minus the replay margin)`,
      );
    }
  }
}
