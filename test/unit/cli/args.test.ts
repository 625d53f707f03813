import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../cli/args.ts';
import { parseDuration, parseReconcileArgs } from '../../../cli/reconcile/args.ts';

describe('parseCommandLine', () => {
  it('reads the named string options, --dry-run and --help', () => {
    expect(parseCommandLine(['--since', '2d', '--dry-run'], ['since'])).toEqual({
      values: { since: '2d' },
      dryRun: true,
      help: false,
    });
  });

  it('refuses an unknown option as a usage error', () => {
    expect(() => parseCommandLine(['--sinse', '2d'], ['since'])).toThrow(UsageError);
  });

  it('refuses a positional argument as a usage error', () => {
    expect(() => parseCommandLine(['48h'], ['since'])).toThrow(UsageError);
  });
});

describe('parseReconcileArgs', () => {
  it('requires --since', () => {
    expect(() => parseReconcileArgs([])).toThrow('--since is required');
  });

  it('answers --help without --since', () => {
    expect(parseReconcileArgs(['--help'])).toEqual({ sinceMs: 0, dryRun: false, help: true });
  });
});

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['48h', 48 * 3_600_000],
    ['2d', 2 * 86_400_000],
    ['1.5h', 1.5 * 3_600_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('refuses a duration without a unit', () => {
    expect(() => parseDuration('48')).toThrow(UsageError);
  });
});
