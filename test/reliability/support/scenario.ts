/**
 * The skeleton every reliability scenario shares: fresh resources and a
 * receiver process on the emulator of the global setup, the scenario's body
 * against them, its rows recorded for the report, and the test failed by any
 * check that did not hold (each one listed).
 */
import { expect, inject } from 'vitest';
import type { EmulatorTarget } from '../../../tools/emulator/index.ts';
import { type HasMeta, recordFigures } from '../../support/figures.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './pipeline.ts';
import type { ScenarioRow } from './result.ts';

/** The emulator the global setup started (or `AWS_ENDPOINT_URL`). */
export function emulatorTarget(): EmulatorTarget {
  return { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
}

/** Runs `body` on a fresh pipeline; returns its rows once every check of theirs passed. */
export async function runScenario(
  task: HasMeta,
  name: string,
  options: PipelineOptions,
  body: (pipeline: Pipeline) => Promise<ScenarioRow[]>,
): Promise<readonly ScenarioRow[]> {
  const started = Date.now();
  const pipeline = await startPipeline(emulatorTarget(), options);
  let rows: ScenarioRow[];
  try {
    rows = await body(pipeline);
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
