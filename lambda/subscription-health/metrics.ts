/**
 * The scheduled function's metrics, as one CloudWatch Embedded Metric Format
 * document per run (service totals, no dimension), in the receiver's namespace.
 */
import type { MetricName } from '../contract/metrics.ts';
import type { ReconciliationMetricName } from '../contract/reconciliation.ts';
import type { ClaimAndPublishOutcome } from '../domain/claim-and-publish.ts';
import { outcomeCounts } from '../observability/outcome-metrics.ts';

/** Metric name -> value; every value is a count or a gauge of things. */
export type RunMetrics = Partial<Record<MetricName | ReconciliationMetricName, number>>;

/** Adds an outcome of the live path to `metrics` exactly as the receiver counts it (`Published`, `Recovered`, ...). */
export function addOutcome(metrics: RunMetrics, outcome: ClaimAndPublishOutcome): void {
  for (const name of outcomeCounts(outcome)) metrics[name] = (metrics[name] ?? 0) + 1;
}

/** One EMF document with every metric of the run. */
export function runMetricsDocument(
  metrics: RunMetrics,
  namespace: string,
  timestampMs: number,
): string {
  const entries = Object.entries(metrics).filter(([, value]) => value !== undefined);
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[]],
          Metrics: entries.map(([name]) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    ...Object.fromEntries(entries),
  });
}
