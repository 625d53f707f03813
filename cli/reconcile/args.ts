/** The command line of `npx apideck-webhooks reconcile`. */
import { parseArgs } from 'node:util';

/** Parsed arguments. */
export interface ReconcileArgs {
  readonly sinceMs: number;
  readonly dryRun: boolean;
  readonly help: boolean;
}

/** A command line that cannot be run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

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
  let values: {
    since?: string | undefined;
    'dry-run'?: boolean | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        since: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { sinceMs: 0, dryRun: false, help: true };
  if (values.since === undefined) throw new UsageError('--since is required (e.g. --since 48h)');
  return { sinceMs: parseDuration(values.since), dryRun: values['dry-run'] === true, help: false };
}
