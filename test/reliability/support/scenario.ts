/**
 * The skeleton every reliability scenario shares: fresh resources and a
 * receiver process on the emulator of the global setup, the scenario's body
 * against them, its rows recorded for the report, and the test failed by any
 * check that did not hold (each one listed).
 */
import { expect, inject } from 'vitest';
import type { EmulatorTarget } from '../../../tools/emulator/index.ts';
import { type HasMeta, recordFigures } from '../../support/figures.ts';
import {
  apideckRetry,
  type Batch,
  freshEvents,
  newApiKey,
  postAll,
  type SignedBody,
} from './deliveries.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './pipeline.ts';
import type { ScenarioRow } from './result.ts';

/** The emulator the global setup started (or `AWS_ENDPOINT_URL`). */
function emulatorTarget(): EmulatorTarget {
  return { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
}

/** What a scenario's body gets: the pipeline and its signing key, with builders signing with it. */
export interface ScenarioContext {
  readonly pipeline: Pipeline;
  /** The key in the signing secret. */
  readonly key: string;
  /** `count` new events signed with the key. */
  fresh(count: number): SignedBody[];
  /** Apideck's retry of a delivery, signed with the key. */
  retry(body: SignedBody): SignedBody;
  /** Posts each body once to the current receiver, at most `concurrency` at a time. */
  post(bodies: readonly SignedBody[], concurrency: number): Promise<Batch>;
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
      post: (bodies, concurrency) => postAll(pipeline.receiver.url, bodies, concurrency),
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
