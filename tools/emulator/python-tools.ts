/**
 * The Python tools of the security scan (checkov and cfn-lint), installed on
 * first use from PyPI into a venv inside the project's `.venv`, the way
 * `ensureMotoInstalled` installs the emulator: pinned by a requirements file and
 * re-installed only when that file's hash differs from the one stamped after
 * the last install.
 *
 * They get a venv of their own (`.venv/scan`) because checkov pins boto3 1.35,
 * which moto's pins exclude: in one environment, installing either would
 * silently change the other's dependencies.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from './python-venv.ts';

/** Paths of the installed tools' executables. */
export interface PythonTools {
  readonly checkov: string;
  readonly cfnLint: string;
}

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let installing: Promise<PythonTools> | undefined;

/**
 * Makes sure `<project>/.venv/scan` (inside `.venv`, which git, Biome and tsc
 * ignore) holds the pinned checkov and cfn-lint and returns their paths.
 * Concurrent calls in one process share one install; the first takes about a minute.
 */
export function ensurePythonTools(): Promise<PythonTools> {
  installing ??= install().finally(() => {
    installing = undefined;
  });
  return installing;
}

async function install(): Promise<PythonTools> {
  const bin = await ensureVenv({
    venv: join(PROJECT_ROOT, '.venv', 'scan'),
    requirements: join(PROJECT_ROOT, 'tools', 'emulator', 'requirements-scan.txt'),
    executables: ['checkov', 'cfn-lint'],
    label: 'scan: checkov and cfn-lint',
  });
  return { checkov: join(bin, 'checkov'), cfnLint: join(bin, 'cfn-lint') };
}
