/**
 * The skeleton every reliability scenario shares: fresh resources and a
 * receiver process on the emulator of the global setup, the scenario's body
 * against them, its rows recorded for the report, and the test failed by any
 * check that did not hold (each one listed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, inject } from 'vitest';
import { ENVIRONMENT } from '../../../lambda/contract/environment.ts';
import type { EmulatorTarget } from '../../../tools/emulator/index.ts';
import { type HasMeta, recordFigures } from '../../support/figures.ts';
import { apideckRetry, freshEvents, newApiKey, type PreparedBody } from './deliveries.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './pipeline.ts';
import type { ScenarioRow } from './result.ts';

/** The emulator the global setup started (or `AWS_ENDPOINT_URL`). */
export function emulatorTarget(): EmulatorTarget {
  return { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
}

/** What a scenario's body gets: the pipeline and its signing key, with builders signing with it. */
export interface ScenarioContext {
  readonly pipeline: Pipeline;
  /** The key in the signing secret. */
  readonly key: string;
  /** `count` new events signed with the key. */
  fresh(count: number): PreparedBody[];
  /** Apideck's retry of a delivery, signed with the key. */
  retry(body: PreparedBody): PreparedBody;
}

/**
 * Runs `body` on a fresh pipeline whose secret holds a new key; returns its
 * rows once every check of theirs passed.
 */
export async function runScenario(
  task: HasMeta,
  name: string,
  options: Omit<PipelineOptions, 'apiKeys'>,
  body: (scenario: ScenarioContext) => Promise<ScenarioRow[]>,
): Promise<readonly ScenarioRow[]> {
  const started = Date.now();
  const key = newApiKey();
  const pipeline = await startPipeline(emulatorTarget(), { ...options, apiKeys: key });
  let rows: ScenarioRow[];
  try {
    rows = await body({
      pipeline,
      key,
      fresh: (count) => freshEvents(count, key),
      retry: (prepared) => apideckRetry(prepared, key),
    });
  } finally {
    await pipeline.stop();
  }
  recordFigures(task, { kind: 'scenario', name, rows, durationMs: Date.now() - started });
  expect(
    rows.flatMap((row) => row.failures.map((failure) => `${row.scenario}: ${failure}`)),
  ).toEqual([]);
  return rows;
}

/** Row `index` of a scenario's rows (throws when there is none). */
export function rowOf(rows: readonly ScenarioRow[], index = 0): ScenarioRow {
  const row = rows[index];
  if (row === undefined) throw new Error(`no row ${index}`);
  return row;
}

/** The pipeline of a scenario about leases: the function timeout and `LEASE_MARGIN_SECONDS`. */
export function leaseOptions(
  functionTimeoutMs: number,
  leaseMarginSeconds: number,
): Omit<PipelineOptions, 'apiKeys'> {
  return {
    functionTimeoutMs,
    environment: { [ENVIRONMENT.leaseMarginSeconds]: String(leaseMarginSeconds) },
  };
}

/** Waits until a lease ending at `leaseEndsAtMs` has ended, with 250 ms to spare for clock granularity. */
export function sleepPastLease(leaseEndsAtMs: number): Promise<void> {
  return sleep(Math.max(0, leaseEndsAtMs + 250 - Date.now()));
}
