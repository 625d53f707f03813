/** The command line of `npx apideck-webhooks reconcile`. */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../lambda/domain/time.ts';
import { parseCommandLine, UsageError } from '../args.ts';

export { UsageError } from '../args.ts';

/** Parsed arguments. */
export interface ReconcileArgs {
  readonly sinceMs: number;
  readonly dryRun: boolean;
  readonly help: boolean;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** `90m`, `48h`, `2d` in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match === null || unit === undefined) {
    throw new UsageError(`--since takes a duration such as 90m, 48h or 2d, got "${text}"`);
  }
  return Number(match[1]) * unit;
}

/** Parses `--since <duration>` (required), `--dry-run`, `--help`. */
export function parseReconcileArgs(argv: readonly string[]): ReconcileArgs {
  const { values, dryRun, help } = parseCommandLine(argv, ['since']);
  if (help) return { sinceMs: 0, dryRun: false, help: true };
  if (values.since === undefined) throw new UsageError('--since is required (e.g. --since 48h)');
  return { sinceMs: parseDuration(values.since), dryRun, help: false };
}
