/**
 * What a reliability or scan test leaves for the report of `npm run verify`
 * (docs/reliability.md): its rows, property runs or scan, kept in the test's
 * `meta` where the reporter (test/reliability/reporter.ts) reads them after
 * the run. Both test/reliability and test/scan record here, so the figures'
 * types live here too, below both.
 */

/** One row of the table in `docs/reliability.md`. */
export interface ScenarioRow {
  /** The scenario and phase, e.g. `Load: 2,000 new events`. */
  readonly scenario: string;
  /** What was sent. */
  readonly sent: string;
  /** Answers by `"<HTTP status> <status>"` (or `no answer`). */
  readonly answers: Readonly<Record<string, number>>;
  /** Events delivered at least once among those that should be (undefined: not counted). */
  readonly delivered: number | undefined;
  /** Deliveries beyond the first of an event, plus deliveries of events that must not arrive. */
  readonly duplicated: number | undefined;
  /** Events that should have been delivered and were not. */
  readonly lost: number | undefined;
  /** What had to come out. */
  readonly expected: string;
  /** Checks that failed (empty: pass). */
  readonly failures: readonly string[];
  /** Measured figures worth reporting (lease, time to rejection, latency). */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------
// The security scan's findings (test/scan/security-scan.ts produces them)

/** A skipped check and why. */
export interface Skip {
  readonly id: string;
  readonly reason: string;
}

/** One checkov result. */
export interface CheckovCheck {
  readonly id: string;
  /** `AWS::Lambda::Function.ReceiverHandler12AFFCFC` */
  readonly resource: string;
  readonly name: string;
}

/** checkov's verdict on a template. */
export interface CheckovReport {
  readonly version: string;
  readonly passed: readonly CheckovCheck[];
  readonly failed: readonly CheckovCheck[];
  /** Suppressed inline (the template has none); skips of the config are not run at all. */
  readonly skipped: number;
  readonly parsingErrors: number;
  readonly resourceCount: number;
}

/** One cfn-lint match. */
export interface CfnLintMatch {
  readonly level: string;
  readonly rule: string;
  readonly message: string;
  /** `Resources/ReceiverHandler12AFFCFC/DependsOn/1` */
  readonly path: string;
}

/** Everything the scan found. */
export interface SecurityScan {
  /** checkov with the config's skips: what must have no failure. */
  readonly checkov: CheckovReport;
  /** The failures checkov reports without the skips, that the skips account for. */
  readonly skippedFindings: readonly CheckovCheck[];
  readonly skips: readonly Skip[];
  /** Skipped ids that match no finding of this template. */
  readonly staleSkips: readonly string[];
  readonly cfnLint: readonly CfnLintMatch[];
  readonly cfnLintVersion: string;
}

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
