import { beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_TYPE_DIMENSION,
  METRIC_NAMES,
  UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
} from '../../lambda/contract/metrics.ts';
import { requestLogLine } from '../../lambda/observability/request-log.ts';
import { EVENT_ID_PLACEHOLDER } from '../../lib/receiver/monitoring/saved-queries.ts';
import { OUTCOME_EXAMPLES } from '../support/delivery-outcomes.ts';
import {
  type DashboardMetric,
  type DashboardWidget,
  dashboardWidgets,
  joined,
  widget,
} from './support/cloudwatch.ts';
import { logicalId, type Synthesized, synthStack } from './support/synth.ts';

const NAMESPACE = 'ApideckWebhooks';

/** `namespace name` of each metric, with the statistic when one is set. */
function names(metrics: readonly DashboardMetric[]): string[] {
  return metrics.map((m) =>
    [m.namespace, m.name, m.options.stat].filter((part) => part !== undefined).join(' '),
  );
}

let synth: Synthesized;
let widgets: DashboardWidget[];
beforeAll(() => {
  synth = synthStack();
  widgets = dashboardWidgets(synth.template);
});

describe('dashboard', () => {
  it('is named after the stack, the receiver and the region (dashboards are global)', () => {
    const [dashboard] = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(joined(dashboard?.Properties.DashboardName)).toBe(
      `ApideckWebhooks-Receiver-\${AWS::Region}`,
    );
    expect(synth.stack.receiver.dashboard).toBeDefined();
  });

  it('graphs API requests, 4xx, 5xx and latency p50 and p99 of the webhook stage', () => {
    const stage = {
      ApiName: 'ApideckWebhooks-apideck-webhooks',
      Stage: `\${${logicalId(synth.stack.receiver.api.deploymentStage)}}`,
    };
    const api = [
      ...widget(widgets, 'API requests').metrics,
      ...widget(widgets, 'API 4xx and 5xx').metrics,
      ...widget(widgets, 'API latency p50 / p99 (ms)').metrics,
    ];
    expect(names(api)).toEqual([
      'AWS/ApiGateway Count Sum',
      'AWS/ApiGateway 4XXError Sum',
      'AWS/ApiGateway 5XXError Sum',
      'AWS/ApiGateway Latency p50',
      'AWS/ApiGateway Latency p99',
    ]);
    for (const metric of api) expect(metric.dimensions).toEqual(stage);
  });

  it('graphs Lambda invocations, errors, throttles, duration and concurrent executions', () => {
    const lambda = [
      ...widget(widgets, 'Lambda invocations, errors, throttles').metrics,
      ...widget(widgets, 'Lambda duration p50 / p99 / max (ms)').metrics,
      ...widget(widgets, 'Lambda concurrent executions').metrics,
    ];
    expect(names(lambda)).toEqual([
      'AWS/Lambda Invocations Sum',
      'AWS/Lambda Errors Sum',
      'AWS/Lambda Throttles Sum',
      'AWS/Lambda Duration p50',
      'AWS/Lambda Duration p99',
      'AWS/Lambda Duration Maximum',
      'AWS/Lambda ConcurrentExecutions Maximum',
    ]);
    const fn = `\${${logicalId(synth.stack.receiver.handler)}}`;
    for (const metric of lambda) expect(metric.dimensions).toEqual({ FunctionName: fn });
  });

  it("graphs every one of the handler's metrics, as service totals", () => {
    const handler = widgets
      .flatMap((w) => w.metrics)
      .filter((m) => m.namespace === NAMESPACE && Object.keys(m.dimensions).length === 0);
    expect(new Set(handler.map((m) => m.name))).toEqual(new Set(Object.values(METRIC_NAMES)));
  });

  it('graphs the outcomes, refusals and failures in their own widgets', () => {
    expect(names(widget(widgets, 'Delivery failures').metrics)).toEqual([
      `${NAMESPACE} PublishFailed Sum`,
      `${NAMESPACE} PublishUncertain Sum`,
      `${NAMESPACE} CompletionFailed Sum`,
      `${NAMESPACE} DependencyError Sum`,
      `${NAMESPACE} UnexpectedError Sum`,
    ]);
    expect(widget(widgets, 'Deliveries by outcome').metrics.map((m) => m.name)).toContain(
      METRIC_NAMES.published,
    );
    expect(widget(widgets, 'Deliveries refused').metrics.map((m) => m.name)).toContain(
      METRIC_NAMES.signatureRejected,
    );
  });

  it('graphs Published per routed event type and for unrouted types', () => {
    const published = widget(widgets, 'Published by event type').metrics;
    expect(new Set(published.map((m) => `${m.namespace} ${m.name}`))).toEqual(
      new Set([`${NAMESPACE} ${METRIC_NAMES.published}`]),
    );
    expect(published.map((m) => m.dimensions[EVENT_TYPE_DIMENSION])).toEqual([
      ...synth.stack.receiver.eventTypes,
      UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
    ]);
  });

  it('graphs DynamoDB throttles by operation and conditional check failures of the table', () => {
    const table = `\${${logicalId(synth.stack.receiver.table)}}`;
    const throttles = widget(widgets, 'DynamoDB throttled requests by operation').metrics;
    expect(throttles.map((m) => [m.name, m.dimensions])).toEqual(
      ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem'].map((operation) => [
        'ThrottledRequests',
        { TableName: table, Operation: operation },
      ]),
    );
    const conditional = widgets
      .flatMap((w) => w.metrics)
      .filter((m) => m.name === 'ConditionalCheckFailedRequests');
    expect(conditional.map((m) => [m.namespace, m.dimensions])).toEqual([
      ['AWS/DynamoDB', { TableName: table }],
    ]);
  });

  it.each([
    ['SNS messages published per topic', 'NumberOfMessagesPublished'],
    ['SNS notifications failed per topic', 'NumberOfNotificationsFailed'],
  ])('graphs %s', (title, metricName) => {
    const metrics = widget(widgets, title).metrics;
    expect(metrics.map((m) => [m.namespace, m.name, m.dimensions])).toEqual(
      Object.values(synth.stack.receiver.topics).map((topic) => [
        'AWS/SNS',
        metricName,
        { TopicName: `\${${logicalId(topic)}.TopicName}` },
      ]),
    );
  });

  it('shows the state of every alarm', () => {
    const alarms = widgets.find((w) => w.type === 'alarm')?.properties.alarms;
    expect(alarms).toEqual(
      Object.values(synth.stack.receiver.alarms).map((alarm) => `\${${logicalId(alarm)}.Arn}`),
    );
  });

  it('is not created when turned off', () => {
    const off = synthStack({ dashboard: false });
    off.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(off.stack.receiver.dashboard).toBeUndefined();
  });
});

/** Every field name of the handler's log lines, nested ones as `a.b`. */
function logFieldNames(): Set<string> {
  const fields = new Set<string>();
  const walk = (value: unknown, prefix: string) => {
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      fields.add(`${prefix}${key}`);
      if (typeof member === 'object' && member !== null) walk(member, `${prefix}${key}.`);
    }
  };
  for (const [, outcome] of OUTCOME_EXAMPLES) {
    walk(
      JSON.parse(
        requestLogLine(outcome, { requestId: 'r', statusCode: 200, durationMs: 1, timestampMs: 0 }),
      ),
      '',
    );
  }
  return fields;
}

/** The saved queries: construct id, name, query string, fields of the handler's log it reads. */
const QUERIES = [
  [
    'followEvent',
    'ApideckWebhooks-Receiver/follow one event id',
    [
      'fields @timestamp, level, outcome, status_code, duration_ms, event_type, request_id, message_id, completed, reason, dependency, error.name, error.message',
      `| filter event_id = "${EVENT_ID_PLACEHOLDER}"`,
      '| sort @timestamp asc',
      '| limit 100',
    ].join('\n'),
  ],
  [
    'failuresByOutcome',
    'ApideckWebhooks-Receiver/failures by outcome',
    [
      'filter status_code >= 400 or level = "ERROR"',
      '| stats count() as requests by outcome, status_code, level',
      '| sort requests desc',
    ].join('\n'),
  ],
  [
    'slowestRequests',
    'ApideckWebhooks-Receiver/slowest requests',
    [
      'fields @timestamp, duration_ms, outcome, status_code, event_type, event_id, request_id',
      '| filter message = "webhook delivery"',
      '| sort duration_ms desc',
      '| limit 25',
    ].join('\n'),
  ],
] as const;

/** Logs Insights commands, functions and aliases in the queries, which are not log fields. */
const QUERY_WORDS = new Set([
  'fields',
  'filter',
  'stats',
  'sort',
  'limit',
  'count',
  'as',
  'by',
  'or',
  'asc',
  'desc',
  'requests',
]);

describe('saved queries', () => {
  it.each(QUERIES)('saves "%s" on the handler log group', (id, name, query) => {
    const definition = synth.stack.receiver.savedQueries[id];
    expect(synth.template.toJSON().Resources[logicalId(definition)]).toEqual({
      Type: 'AWS::Logs::QueryDefinition',
      Properties: {
        Name: name,
        QueryString: query,
        LogGroupNames: [{ Ref: logicalId(synth.stack.receiver.handlerLogGroup) }],
      },
    });
  });

  it("reads only fields the handler's log line has", () => {
    const known = logFieldNames();
    const read = QUERIES.flatMap(([, , query]) =>
      (query.replace(/"[^"]*"/g, '').match(/[a-z_]+(\.[a-z_]+)?/g) ?? []).filter(
        (word) => !QUERY_WORDS.has(word),
      ),
    );
    expect(read).toContain('event_id');
    expect(read.filter((field) => !known.has(field))).toEqual([]);
  });
});

describe('tracing', () => {
  it('traces with X-Ray on the API stage and the Lambda function', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
    });
  });
});
