/**
 * Runs the hostile-input properties (verify/properties/hostile-input.ts) for
 * `npm run verify` and turns the outcome into a row of the report: cases run,
 * answers by status, publishes, and the counterexample of any property that failed.
 */
import fc from 'fast-check';
import { hostileInputProperties, type Observation } from './properties/hostile-input.ts';
import { Checks, n, type ScenarioResult } from './scenarios/result.ts';

/** One property's run. */
export interface PropertyRun {
  readonly name: string;
  readonly states: string;
  readonly runs: number;
  readonly answers: Readonly<Record<string, number>>;
  /** The counterexample and error of a failed property. */
  readonly failure: string | undefined;
  readonly seed: number;
}

/** The runs of every property and the report row. */
export interface HostileInputResult extends ScenarioResult {
  readonly properties: readonly PropertyRun[];
}

/** Runs every property `runsPerProperty` times. */
export async function runHostileInput(
  runsPerProperty: number,
  log?: (line: string) => void,
): Promise<HostileInputResult> {
  const started = Date.now();
  const observations: Observation[] = [];
  const properties: PropertyRun[] = [];
  for (const { name, states, property } of hostileInputProperties((o) => observations.push(o))) {
    log?.(`hostile input: ${name} (${runsPerProperty} runs)`);
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const details = await fc.check(property, { numRuns: runsPerProperty, seed });
    const answers: Record<string, number> = {};
    for (const observation of observations.splice(0)) {
      const key = `${observation.statusCode} ${observation.status}`;
      answers[key] = (answers[key] ?? 0) + 1;
    }
    properties.push({
      name,
      states,
      runs: details.numRuns,
      answers,
      seed,
      failure: details.failed
        ? `${String(details.errorInstance ?? 'failed')} (seed ${seed}, path ${details.counterexamplePath ?? ''})`
        : undefined,
    });
  }
  const total = properties.reduce((sum, run) => sum + run.runs, 0);
  const answers: Record<string, number> = {};
  for (const run of properties) {
    for (const [key, count] of Object.entries(run.answers))
      answers[key] = (answers[key] ?? 0) + count;
  }
  const checks = new Checks();
  for (const run of properties) {
    if (run.failure !== undefined) checks.expect(false, `${run.name}: ${run.failure}`);
  }
  checks.expect(
    Object.keys(answers).every((key) => !key.startsWith('5')),
    'a 5xx answer',
  );
  const published = answers['200 published'] ?? 0;
  return {
    name: 'hostile-input',
    durationMs: Date.now() - started,
    properties,
    rows: [
      {
        scenario: 'Hostile input (property-based)',
        sent: `${n(total)} generated requests, ${properties.length} properties (headers, bodies, encodings, sizes, signatures)`,
        answers,
        delivered: undefined,
        duplicated: undefined,
        lost: undefined,
        expected:
          'never 5xx or a throw; nothing published or written without a valid signature; valid signatures never 401; invalid envelopes never published',
        failures: checks.failures,
        notes: [
          `${n(published)} published: the validly signed valid events among them, each exactly once (in-memory publisher; no tap here); none published or written without a valid signature`,
        ],
      },
    ],
  };
}
