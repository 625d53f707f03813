import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { docsUrl } from '../../../lambda/contract/docs.ts';
import { METRIC_NAMES, type MetricName } from '../../../lambda/contract/metrics.ts';
import { receiverDisplayName } from './display-name.ts';
import { type ReceiverMetrics, TABLE_OPERATIONS } from './receiver-metrics.ts';

/** Handler outcomes of a delivery that ended as intended or was refused on purpose. */
const OUTCOME_METRICS: readonly MetricName[] = [
  METRIC_NAMES.received,
  METRIC_NAMES.published,
  METRIC_NAMES.duplicate,
  METRIC_NAMES.inProgress,
  METRIC_NAMES.ignored,
  METRIC_NAMES.unrouted,
  METRIC_NAMES.attributeDropped,
  METRIC_NAMES.recovered,
];

/** Handler outcomes that refused a delivery for what it carried. */
const REFUSAL_METRICS: readonly MetricName[] = [
  METRIC_NAMES.signatureRejected,
  METRIC_NAMES.invalidRequest,
  METRIC_NAMES.replayRefused,
  METRIC_NAMES.tooLarge,
  METRIC_NAMES.payloadConflict,
];

/** Handler outcomes where something failed (the receiver's or a dependency's fault). */
const FAILURE_METRICS: readonly MetricName[] = [
  METRIC_NAMES.publishFailed,
  METRIC_NAMES.publishUncertain,
  METRIC_NAMES.completionFailed,
  METRIC_NAMES.dependencyError,
  METRIC_NAMES.unexpectedError,
];

/** Characters CloudWatch accepts in a dashboard name. */
function dashboardNameSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '-');
}

export interface ReceiverDashboardProps {
  readonly metrics: ReceiverMetrics;
  /** The alarms to show in the alarm status widget. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const WIDTH = 8;
const HEIGHT = 6;

/**
 * One dashboard for the receiver: the API, the Lambda, the handler's outcomes
 * (totals and per event type), the idempotency table and the topics.
 */
export class ReceiverDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ReceiverDashboardProps) {
    super(scope, id);
    const m = props.metrics;
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ) => new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...extra });
    const handler = (names: readonly MetricName[]) =>
      names.map((name) => m.handler(name, { label: name }));
    const routes = m.routes;

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      // Dashboards are global to the account, and a generated name says nothing
      // in the console's list: the stack name and this construct's path say
      // which receiver it is, the region keeps two deployments of the same
      // stack in different regions from claiming the same name.
      dashboardName: `${dashboardNameSegment(receiverDisplayName(this))}-${Aws.REGION}`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: [
              '## Apideck webhook receiver',
              'API Gateway -> Lambda (verify HMAC, claim in DynamoDB, publish to SNS). Counts are sums per 5 minutes.',
              `Every alarm, what it means and what to do: ${docsUrl('runbook.md')}. Follow one event: Logs Insights saved query "follow one event id".`,
            ].join('\n\n'),
            width: 16,
            height: HEIGHT,
          }),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: WIDTH,
            height: HEIGHT,
          }),
        ],
        [
          graph('API requests', [m.apiRequests()]),
          graph('API 4xx and 5xx', [m.api4xx(), m.api5xx()]),
          graph('API latency p50 / p99 (ms)', [m.apiLatency('p50'), m.apiLatency('p99')]),
        ],
        [
          graph('Lambda invocations, errors, throttles', [
            m.lambdaInvocations(),
            m.lambdaErrors(),
            m.lambdaThrottles(),
          ]),
          graph('Lambda duration p50 / p99 / max (ms)', [
            m.lambdaDuration('p50'),
            m.lambdaDuration('p99'),
            m.lambdaDuration(cloudwatch.Stats.MAXIMUM),
          ]),
          graph('Lambda concurrent executions', [m.lambdaConcurrentExecutions()]),
        ],
        [
          graph('Deliveries by outcome', handler(OUTCOME_METRICS)),
          graph('Deliveries refused', handler(REFUSAL_METRICS)),
          graph('Delivery failures', handler(FAILURE_METRICS)),
        ],
        [
          graph(
            'Published by event type',
            m.eventTypeDimensionValues.map((type) =>
              m.handlerByEventType(METRIC_NAMES.published, type),
            ),
            { legendPosition: cloudwatch.LegendPosition.RIGHT, width: 16 },
          ),
          graph('Handler duration p50 / p99 (ms)', [
            m.handler(METRIC_NAMES.handlerDuration, { statistic: 'p50', label: 'p50' }),
            m.handler(METRIC_NAMES.handlerDuration, { statistic: 'p99', label: 'p99' }),
          ]),
        ],
        [
          graph(
            'DynamoDB throttled requests by operation',
            TABLE_OPERATIONS.map((operation) => m.tableThrottledRequests(operation)),
          ),
          graph(
            'DynamoDB conditional check failures (expected for duplicates and concurrent deliveries)',
            [m.tableConditionalCheckFailures()],
            { width: 16 },
          ),
        ],
        [
          graph(
            'SNS messages published per topic',
            routes.map((route) => m.topicPublished(route)),
            { legendPosition: cloudwatch.LegendPosition.RIGHT, width: 12 },
          ),
          graph(
            'SNS notifications failed per topic',
            routes.map((route) => m.topicNotificationsFailed(route)),
            { legendPosition: cloudwatch.LegendPosition.RIGHT, width: 12 },
          ),
        ],
      ],
    });
  }
}
