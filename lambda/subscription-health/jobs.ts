/**
 * The two jobs of the scheduled function, each turning its result into metrics
 * and one log line: the subscription-health check and the reconciliation.
 */
import { METRIC_NAMES } from '../contract/metrics.ts';
import { RECONCILIATION_METRIC_NAMES as R } from '../contract/reconciliation.ts';
import type { Reconciler } from '../reconcile/compose-reconciler.ts';
import { summaryLine } from '../reconcile/reconcile.ts';
import { checkSubscriptionHealth, type ReceiverPing, type SubscriptionApi } from './check.ts';
import type { RunMetrics } from './metrics.ts';

/** What a job reports: its metrics and a log message with its facts. */
export interface JobResult {
  readonly metrics: RunMetrics;
  readonly log: Readonly<Record<string, unknown>> & {
    readonly message: string;
    readonly level: 'INFO' | 'ERROR';
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The health check; a failed read of the subscriptions is counted, and publishes no state. */
export async function runHealthJob(
  api: SubscriptionApi,
  ping: ReceiverPing,
  options: { readonly webhookUrl: string; readonly autoReenable: boolean },
): Promise<JobResult> {
  try {
    const report = await checkSubscriptionHealth(api, ping, options);
    return {
      metrics: {
        [R.subscriptionCount]: report.subscriptions,
        [R.subscriptionDisabled]: report.disabled.length,
        [R.subscriptionReenabled]: report.reenabled.length,
        [R.subscriptionCheckFailed]: 0,
      },
      log: {
        level: report.disabled.length > 0 ? 'ERROR' : 'INFO',
        message: 'subscription health',
        subscriptions: report.subscriptions,
        disabled: report.disabled,
        reenabled: report.reenabled,
        not_reenabled: report.notReenabled,
      },
    };
  } catch (error) {
    return {
      metrics: { [R.subscriptionCheckFailed]: 1 },
      log: { level: 'ERROR', message: 'subscription health check failed', error: describe(error) },
    };
  }
}

/** The reconciliation of the last `sinceMs`; a run that did not finish is counted. */
export async function runReconcileJob(
  reconciler: Reconciler,
  sinceMs: number,
  metrics: RunMetrics,
): Promise<JobResult> {
  try {
    const summary = await reconciler.run({ sinceMs, dryRun: false });
    return {
      metrics: {
        ...metrics,
        [METRIC_NAMES.recovered]: metrics[METRIC_NAMES.recovered] ?? 0,
        [R.reconcileAlreadyDelivered]: summary.alreadyDelivered,
        [R.reconcileFailed]: summary.failed,
        [R.reconcileRunFailed]: 0,
      },
      log: {
        level: summary.failed > 0 ? 'ERROR' : 'INFO',
        message: summaryLine(summary),
        summary,
      },
    };
  } catch (error) {
    return {
      metrics: { ...metrics, [R.reconcileRunFailed]: 1 },
      log: { level: 'ERROR', message: 'reconciliation failed', error: describe(error) },
    };
  }
}
