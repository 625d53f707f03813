import type { Template } from 'aws-cdk-lib/assertions';

/**
 * A template value with CloudFormation references spelled out as text, so a
 * `Fn::Join` of JSON (a dashboard body, an alarm rule) can be read as a string:
 * `{ Ref: X }` -> `${X}`, `{ Fn::GetAtt: [X, Y] }` -> `${X.Y}`.
 */
export function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    if ('Ref' in value) return `\${${String(value.Ref)}}`;
    if ('Fn::GetAtt' in value) return `\${${(value['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(joined).join(separator);
    }
  }
  throw new Error(`cannot spell out ${JSON.stringify(value)}`);
}

/** A metric of a dashboard graph: `[namespace, name, ...dimension name/value pairs, options?]`. */
export interface DashboardMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface DashboardWidget {
  readonly type: string;
  readonly title: string | undefined;
  readonly metrics: DashboardMetric[];
  readonly properties: Readonly<Record<string, unknown>>;
}

function dashboardMetric(entry: unknown[]): DashboardMetric {
  const last = entry.at(-1);
  const options =
    typeof last === 'object' && last !== null ? (last as Record<string, unknown>) : undefined;
  const names = (options ? entry.slice(0, -1) : entry) as string[];
  const [namespace = '', name = '', ...pairs] = names;
  const dimensions: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] ?? ''] = pairs[i + 1] ?? '';
  return { namespace, name, dimensions, options: options ?? {} };
}

/** The widgets of the template's only dashboard, references spelled out. */
export function dashboardWidgets(template: Template): DashboardWidget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, got ${dashboards.length}`);
  const body = JSON.parse(
    joined((dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody),
  ) as { widgets: { type: string; properties: Record<string, unknown> }[] };
  return body.widgets.map(({ type, properties }) => ({
    type,
    title: properties.title as string | undefined,
    properties,
    metrics: ((properties.metrics ?? []) as unknown[][])
      // Math expressions are `[{ expression, ... }]`; graphs here hold metrics only.
      .filter((entry) => typeof entry[0] === 'string')
      .map(dashboardMetric),
  }));
}

/** The widget with this title. */
export function widget(widgets: DashboardWidget[], title: string): DashboardWidget {
  const found = widgets.find((w) => w.title === title);
  if (!found) throw new Error(`no widget "${title}" in ${widgets.map((w) => w.title).join(', ')}`);
  return found;
}

/** One metric an alarm reads, whichever way CloudFormation spells it. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly name: string;
  readonly stat: string;
  readonly period: number;
  readonly dimensions: Readonly<Record<string, unknown>>;
}

export interface AlarmJson {
  readonly ComparisonOperator: string;
  readonly Threshold: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData: string;
  readonly AlarmActions?: unknown[];
  readonly OKActions?: unknown[];
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Period?: number;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Metrics?: {
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: {
      Metric: {
        Namespace: string;
        MetricName: string;
        Dimensions?: { Name: string; Value: unknown }[];
      };
      Stat: string;
      Period: number;
    };
  }[];
}

function dimensionsOf(
  dimensions: { Name: string; Value: unknown }[] = [],
): Record<string, unknown> {
  return Object.fromEntries(dimensions.map((d) => [d.Name, d.Value]));
}

/** The metrics an alarm reads: one, or those a math expression combines. */
export function alarmMetrics(alarm: AlarmJson): AlarmMetric[] {
  if (alarm.MetricName !== undefined) {
    return [
      {
        namespace: alarm.Namespace ?? '',
        name: alarm.MetricName,
        stat: alarm.Statistic ?? alarm.ExtendedStatistic ?? '',
        period: alarm.Period ?? 0,
        dimensions: dimensionsOf(alarm.Dimensions),
      },
    ];
  }
  return (alarm.Metrics ?? []).flatMap((query) =>
    query.MetricStat
      ? [
          {
            namespace: query.MetricStat.Metric.Namespace,
            name: query.MetricStat.Metric.MetricName,
            stat: query.MetricStat.Stat,
            period: query.MetricStat.Period,
            dimensions: dimensionsOf(query.MetricStat.Metric.Dimensions),
          },
        ]
      : [],
  );
}

/** The expression an alarm watches, when it watches one. */
export function alarmExpression(alarm: AlarmJson): string | undefined {
  return alarm.Metrics?.find((query) => query.ReturnData !== false && query.Expression)?.Expression;
}
