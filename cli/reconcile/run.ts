/**
 * One `npx apideck-webhooks reconcile` run, apart from the process: configuration from an
 * environment, the summary line and the exit code, so tests can run it in
 * process against the emulator and the stand-in.
 */
import { createAwsClients } from '../../lambda/compose-receiver.ts';
import { ConfigurationError, DependencyError } from '../../lambda/errors.ts';
import { ApideckApiError } from '../../lambda/reconcile/apideck-webhook-api.ts';
import {
  composeReconciler,
  type ReconcilerOptions,
  resolveApiKey,
} from '../../lambda/reconcile/compose-reconciler.ts';
import { loadReconcilerConfig } from '../../lambda/reconcile/config.ts';
import { type ReconcileSummary, summaryLine } from '../../lambda/reconcile/reconcile.ts';
import { WindowRefusedError } from '../../lambda/reconcile/window.ts';
import { parseReconcileArgs, UsageError } from './args.ts';

/** Exit codes of `npx apideck-webhooks reconcile` (docs/reconciliation.md). */
export const EXIT = {
  /** The window was walked to the end; every event is published or was already. */
  finished: 0,
  /** Bad arguments or configuration. */
  usage: 1,
  /** `--since` reaches past what the idempotency records cover. */
  windowRefused: 2,
  /** Apideck refused (401, 402, 429 after retries, 5xx) or answered what cannot be read. */
  apideckRefused: 3,
  /** The walk finished, but some events could not be recovered (AWS failed); run again. */
  incomplete: 4,
} as const;

export const USAGE = `usage: npx apideck-webhooks reconcile --since <duration> [--dry-run]
       (in this repository: npm run reconcile -- ...)

Reads Apideck's event log of the last <duration> (90m, 48h, 2d) and runs every
event delivered to WEBHOOK_URL through the receiver's claim -> publish ->
complete path: already published events are duplicates, the rest are published
with the message attribute recovered=true.

  --dry-run   read the log and the idempotency records, publish nothing

environment: APIDECK_APP_ID, APIDECK_API_KEY (else the first key of
SIGNING_SECRET_ID), APIDECK_API_URL (default https://unify.apideck.com),
WEBHOOK_URL, IDEMPOTENCY_TABLE_NAME, TOPIC_ARNS, AWS_REGION and credentials.
exit codes: 0 finished, 1 usage, 2 window refused, 3 Apideck refused, 4 incomplete`;

/** What a run printed and how it ended. */
export interface ReconcileRunResult {
  readonly exitCode: number;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly summary?: ReconcileSummary;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the CLI on `argv` with `env`. Never throws for an expected failure: it exits. */
export async function runReconcile(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: ReconcilerOptions = {},
): Promise<ReconcileRunResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const fail = (exitCode: number, line: string): ReconcileRunResult => {
    stderr.push(`reconcile: ${line}`);
    return { exitCode, stdout, stderr };
  };
  let args: ReturnType<typeof parseReconcileArgs>;
  let config: ReturnType<typeof loadReconcilerConfig>;
  try {
    args = parseReconcileArgs(argv);
    if (args.help) {
      stdout.push(USAGE);
      return { exitCode: EXIT.finished, stdout, stderr };
    }
    config = loadReconcilerConfig(env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) {
      return fail(EXIT.usage, message(error));
    }
    throw error;
  }
  const clients = createAwsClients();
  try {
    const apiKey = await resolveApiKey(config.apideck, clients);
    const summary = await composeReconciler(config, clients, apiKey, options).run(args);
    stdout.push(summaryLine(summary));
    const exitCode = summary.failed > 0 ? EXIT.incomplete : EXIT.finished;
    if (exitCode !== EXIT.finished) {
      stderr.push(`reconcile: ${summary.failed} events could not be recovered; run again`);
    }
    return { exitCode, stdout, stderr, summary };
  } catch (error) {
    if (error instanceof WindowRefusedError)
      return fail(EXIT.windowRefused, `refused: ${message(error)}`);
    if (error instanceof ApideckApiError) {
      return fail(EXIT.apideckRefused, `Apideck refused (${error.refusal}): ${message(error)}`);
    }
    if (error instanceof DependencyError) {
      return fail(EXIT.incomplete, `${error.dependency} failed: ${message(error)}`);
    }
    throw error;
  } finally {
    clients.dynamodb.destroy();
    clients.sns.destroy();
    clients.secretsManager.destroy();
  }
}
