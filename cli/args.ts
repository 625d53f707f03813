/** What every command of the CLI shares in reading its command line. */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** A command line that cannot be run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options every command takes: `--dry-run` and `--help`, beside its own. */
const COMMON_OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

/** What {@link parseCommandLine} read: the command's string options, `dryRun` and `help`. */
export interface CommandLine<Name extends string> {
  readonly values: { readonly [K in Name]?: string };
  readonly dryRun: boolean;
  readonly help: boolean;
}

/**
 * Parses `argv` strictly (no positionals, no unknown options) with the string
 * options `names` and the common ones; any refusal is a {@link UsageError}.
 */
export function parseCommandLine<Name extends string>(
  argv: readonly string[],
  names: readonly Name[],
): CommandLine<Name> {
  const options: ParseArgsOptionsConfig = { ...COMMON_OPTIONS };
  for (const name of names) options[name] = { type: 'string' };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
    });
    const strings: { [K in Name]?: string } = {};
    for (const name of names) {
      const value = values[name];
      if (typeof value === 'string') strings[name] = value;
    }
    return { values: strings, dryRun: values['dry-run'] === true, help: values.help === true };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
