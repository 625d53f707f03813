import type { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { CATCH_ALL_ROUTE } from '../../../lambda/contract/event-catalogue.ts';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../../../lambda/contract/idempotency-record.ts';
import {
  EVENT_TYPE_DIMENSION,
  type MetricName,
  UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
} from '../../../lambda/contract/metrics.ts';
import { ALARM_PERIOD } from './alarm-thresholds.ts';

/** CloudWatch refuses an alarm whose metric math reads more than 10 metrics (a hard limit). */
export const MAX_METRICS_PER_ALARM = 10;

/**
 * The API metrics of a stage, which a REST API's stage and an HTTP API's
 * stage both give (`5XXError` or `5xx`, and so on, under their own dimensions).
 */
export type ApiStageMetrics = Pick<
  apigateway.Stage,
  'metricCount' | 'metricClientError' | 'metricServerError' | 'metricLatency'
>;

/** What the receiver's metrics are read from. */
export interface ReceiverMetricSources {
  /** Namespace of the handler's EMF metrics. */
  readonly namespace: string;
  readonly stage: ApiStageMetrics;
  readonly handler: lambda.IFunction;
  readonly table: Pick<dynamodb.Table, 'metric' | 'tableName'>;
  /** Route (event type, or `"*"` for the catch-all) -> topic. */
  readonly topics: ReadonlyMap<string, sns.ITopic>;
  /** The routed event types, in the order given. */
  readonly eventTypes: readonly string[];
}

/** The DynamoDB operations the handler calls (`dynamodb:PutItem` -> `PutItem`). */
export const TABLE_OPERATIONS = IDEMPOTENCY_TABLE_ACTIONS.map((action) =>
  action.replace(/^dynamodb:/, ''),
);

/** How a route is labelled on graphs. */
export function routeLabel(route: string): string {
  return route === CATCH_ALL_ROUTE ? 'catch-all (unrouted types)' : route;
}

/**
 * The sum of several metrics as one time series. Each is filled with 0 where
 * it has no datapoint, so one quiet series cannot hide another's value.
 */
export function sumOf(
  metrics: readonly cloudwatch.IMetric[],
  label: string,
  period: Duration = ALARM_PERIOD,
): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric]));
  return new cloudwatch.MathExpression({
    expression: `SUM([${Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(', ')}])`,
    usingMetrics,
    label,
    period,
  });
}

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

/**
 * Every metric the dashboard and the alarms read, built once, with five-minute
 * periods unless told otherwise.
 */
export class ReceiverMetrics {
  constructor(private readonly sources: ReceiverMetricSources) {}

  /** Routes in order: the routed types, then the catch-all. */
  public get routes(): string[] {
    return [...this.sources.topics.keys()];
  }

  /** A handler metric (EMF): service totals, summed. */
  public handler(name: MetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
      ...options,
      namespace: this.sources.namespace,
      metricName: name,
    });
  }

  /**
   * A handler metric for one `EventType` dimension value: a routed type, or
   * `unrouted` for every other type (the handler bounds the dimension so).
   */
  public handlerByEventType(name: MetricName, eventType: string): cloudwatch.Metric {
    return this.handler(name, {
      dimensionsMap: { [EVENT_TYPE_DIMENSION]: eventType },
      label: eventType,
    });
  }

  /** The `EventType` dimension values the handler writes: each routed type, then `unrouted`. */
  public get eventTypeDimensionValues(): string[] {
    return [...this.sources.eventTypes, UNROUTED_EVENT_TYPE_DIMENSION_VALUE];
  }

  public apiRequests(): cloudwatch.Metric {
    return this.sources.stage.metricCount({
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
      label: 'requests',
    });
  }

  public api4xx(): cloudwatch.Metric {
    return this.sources.stage.metricClientError({ period: ALARM_PERIOD, label: '4xx' });
  }

  public api5xx(): cloudwatch.Metric {
    return this.sources.stage.metricServerError({ period: ALARM_PERIOD, label: '5xx' });
  }

  /** API Gateway `Latency` (request in to response out) at a percentile such as `p99`. */
  public apiLatency(statistic: string): cloudwatch.Metric {
    return this.sources.stage.metricLatency({
      statistic,
      period: ALARM_PERIOD,
      label: `latency ${statistic}`,
    });
  }

  public lambdaInvocations(): cloudwatch.Metric {
    return this.sources.handler.metricInvocations({ period: ALARM_PERIOD, label: 'invocations' });
  }

  public lambdaErrors(): cloudwatch.Metric {
    return this.sources.handler.metricErrors({ period: ALARM_PERIOD, label: 'errors' });
  }

  public lambdaThrottles(): cloudwatch.Metric {
    return this.sources.handler.metricThrottles({ period: ALARM_PERIOD, label: 'throttles' });
  }

  public lambdaDuration(statistic: string): cloudwatch.Metric {
    return this.sources.handler.metricDuration({
      statistic,
      period: ALARM_PERIOD,
      label: `duration ${statistic}`,
    });
  }

  public lambdaConcurrentExecutions(): cloudwatch.Metric {
    return this.sources.handler.metric('ConcurrentExecutions', {
      statistic: cloudwatch.Stats.MAXIMUM,
      period: ALARM_PERIOD,
      label: 'concurrent executions (max)',
    });
  }

  /** DynamoDB `ThrottledRequests` of one operation on the table. */
  public tableThrottledRequests(operation: string): cloudwatch.Metric {
    return this.sources.table.metric('ThrottledRequests', {
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
      dimensionsMap: { TableName: this.sources.table.tableName, Operation: operation },
      label: operation,
    });
  }

  /** `ThrottledRequests` summed over the operations the handler uses. */
  public tableThrottles(): cloudwatch.MathExpression {
    return sumOf(
      TABLE_OPERATIONS.map((operation) => this.tableThrottledRequests(operation)),
      'throttled requests',
    );
  }

  /**
   * `ConditionalCheckFailedRequests`: the claim's conditional put losing to an
   * existing record. Expected for every duplicate or concurrent delivery.
   */
  public tableConditionalCheckFailures(): cloudwatch.Metric {
    return this.sources.table.metric('ConditionalCheckFailedRequests', {
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
      label: 'conditional check failed',
    });
  }

  public topicPublished(route: string): cloudwatch.Metric {
    return this.topic(route).metricNumberOfMessagesPublished({
      period: ALARM_PERIOD,
      label: routeLabel(route),
    });
  }

  public topicNotificationsFailed(route: string): cloudwatch.Metric {
    return this.topic(route).metricNumberOfNotificationsFailed({
      period: ALARM_PERIOD,
      label: routeLabel(route),
    });
  }

  /**
   * `NumberOfNotificationsFailed` summed over the topics, in as many sums as
   * CloudWatch's 10-metric limit per alarm needs (one for up to 10 topics).
   */
  public notificationsFailedSums(): cloudwatch.MathExpression[] {
    return chunks(this.routes, MAX_METRICS_PER_ALARM).map((routes) =>
      sumOf(
        routes.map((route) => this.topicNotificationsFailed(route)),
        'notifications failed',
      ),
    );
  }

  private topic(route: string): sns.ITopic {
    const topic = this.sources.topics.get(route);
    if (!topic) throw new Error(`no topic for route "${route}"`);
    return topic;
  }
}
