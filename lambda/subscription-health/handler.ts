/**
 * The scheduled function (opt-in, when an Apideck app id is configured): the
 * EventBridge rule's input names the job, `{"job":"health"}` (subscription
 * health, optional re-enable) or `{"job":"reconcile"}` (recover the last
 * `RECONCILE_WINDOW_HOURS` of Apideck's event log). Configuration is read and
 * the clients are created once per container; the API key is read every run,
 * so a rotated key is picked up without a redeploy.
 */
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../compose-receiver.ts';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../contract/environment.ts';
import {
  APIDECK_ENVIRONMENT,
  APIDECK_ENVIRONMENT_DEFAULTS,
  RECONCILIATION_METRIC_NAMES,
} from '../contract/reconciliation.ts';
import { HOUR_MS } from '../domain/time.ts';
import { ConfigurationError } from '../errors.ts';
import { stdoutSink } from '../observability/sink.ts';
import {
  apideckApi,
  composeReconciler,
  EVENT_BUDGET_MS,
  resolveApiKey,
} from '../reconcile/compose-reconciler.ts';
import { loadReconcilerConfig, type ReconcilerConfig } from '../reconcile/config.ts';
import { type JobResult, runHealthJob, runReconcileJob } from './jobs.ts';
import { addOutcome, type RunMetrics, runMetricsDocument } from './metrics.ts';
import { signedPing } from './ping.ts';

/** Time kept back at the end of an invocation for the summary and the metrics. */
const STOP_MARGIN_MS = EVENT_BUDGET_MS + 5_000;

interface Settings {
  readonly config: ReconcilerConfig;
  readonly autoReenable: boolean;
  readonly windowMs: number;
}

function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const config = loadReconcilerConfig(env);
  const flag = env[APIDECK_ENVIRONMENT.autoReenable]?.trim() ?? 'false';
  if (flag !== 'true' && flag !== 'false') {
    throw new ConfigurationError(
      APIDECK_ENVIRONMENT.autoReenable,
      `must be true or false, got "${flag}"`,
    );
  }
  const rawHours = env[APIDECK_ENVIRONMENT.reconcileWindowHours]?.trim();
  const hours = rawHours ? Number(rawHours) : APIDECK_ENVIRONMENT_DEFAULTS.reconcileWindowHours;
  if (!Number.isInteger(hours) || hours < 1) {
    throw new ConfigurationError(
      APIDECK_ENVIRONMENT.reconcileWindowHours,
      'must be a whole number of hours',
    );
  }
  return { config, autoReenable: flag === 'true', windowMs: hours * HOUR_MS };
}

type Loaded =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly error: unknown };

function load(): Loaded {
  try {
    return { ok: true, settings: loadSettings(process.env) };
  } catch (error) {
    return { ok: false, error };
  }
}

const loaded = load();
const clients = createAwsClients();
const namespace =
  process.env[ENVIRONMENT.metricsNamespace]?.trim() || ENVIRONMENT_DEFAULTS.metricsNamespace;

function write(result: JobResult, context: Context): void {
  stdoutSink(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      request_id: context.awsRequestId,
      ...result.log,
    }),
  );
  stdoutSink(runMetricsDocument(result.metrics, namespace, Date.now()));
}

async function run(job: unknown, settings: Settings, context: Context): Promise<JobResult> {
  const { config } = settings;
  let apiKey: string;
  try {
    apiKey = await resolveApiKey(config.apideck, clients);
  } catch (error) {
    const metric =
      job === 'health'
        ? RECONCILIATION_METRIC_NAMES.subscriptionCheckFailed
        : RECONCILIATION_METRIC_NAMES.reconcileRunFailed;
    return {
      metrics: { [metric]: 1 },
      log: { level: 'ERROR', message: 'reading the API key failed', error: String(error) },
    };
  }
  if (job === 'health') {
    return runHealthJob(
      apideckApi(config.apideck, apiKey),
      signedPing(config.apideck.webhookUrl, apiKey),
      { webhookUrl: config.apideck.webhookUrl, autoReenable: settings.autoReenable },
    );
  }
  const metrics: RunMetrics = {};
  const reconciler = composeReconciler(config, clients, apiKey, {
    onOutcome: (outcome) => addOutcome(metrics, outcome),
    shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS,
  });
  return runReconcileJob(reconciler, settings.windowMs, metrics);
}

/** The EventBridge (scheduled) handler. Never throws: a failed run is logged and counted. */
export async function handler(event: unknown, context: Context): Promise<void> {
  const job =
    typeof event === 'object' && event !== null ? (event as { job?: unknown }).job : undefined;
  if (!loaded.ok) {
    write(
      {
        metrics: {
          [job === 'health'
            ? RECONCILIATION_METRIC_NAMES.subscriptionCheckFailed
            : RECONCILIATION_METRIC_NAMES.reconcileRunFailed]: 1,
        },
        log: { level: 'ERROR', message: 'misconfigured', error: String(loaded.error) },
      },
      context,
    );
    return;
  }
  if (job !== 'health' && job !== 'reconcile') {
    write(
      {
        metrics: {},
        log: {
          level: 'ERROR',
          message: `unknown job ${JSON.stringify(job)}; expected "health" or "reconcile"`,
        },
      },
      context,
    );
    return;
  }
  write(await run(job, loaded.settings, context), context);
}
