/**
 * What a reliability or scan test leaves for the report: its rows (and the
 * property runs or the scan), kept in the test's `meta` where the reporter
 * (test/reliability/reporter.ts) reads them after the run.
 */
import type { SecurityScan } from '../../scan/security-scan.ts';
import type { ScenarioRow } from './result.ts';

/** One fast-check property's run. */
export interface PropertyRun {
  readonly name: string;
  readonly states: string;
  readonly runs: number;
  readonly answers: Readonly<Record<string, number>>;
  /** The counterexample and error of a failed property. */
  readonly failure: string | undefined;
}

/** What one test recorded. */
export type Figures =
  | {
      readonly kind: 'scenario';
      readonly name: string;
      readonly rows: readonly ScenarioRow[];
      readonly durationMs: number;
    }
  | { readonly kind: 'property'; readonly run: PropertyRun; readonly durationMs: number }
  | { readonly kind: 'scan'; readonly scan: SecurityScan };

declare module 'vitest' {
  interface TaskMeta {
    /** The figures of a reliability or scan test, for docs/reliability.md. */
    figures?: Figures;
  }
}

/** Anything with a Vitest task's `meta` (the test context's `task`). */
export interface HasMeta {
  readonly meta: { figures?: Figures };
}

/** Records a test's figures for the report. */
export function recordFigures(task: HasMeta, figures: Figures): void {
  task.meta.figures = figures;
}
