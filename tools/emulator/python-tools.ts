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
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths of the installed tools' executables. */
export interface PythonTools {
  readonly checkov: string;
  readonly cfnLint: string;
}

const DEFAULT_PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The pins, relative to the project root. */
export const SCAN_REQUIREMENTS = join('tools', 'emulator', 'requirements-scan.txt');
/** The venv, relative to the project root (inside `.venv`, which git, Biome and tsc ignore). */
export const SCAN_VENV = join('.venv', 'scan');
const STAMP = '.scan-requirements.sha256';
const OUTPUT_TAIL_CHARS = 4_000;

let installing: Promise<PythonTools> | undefined;

/**
 * Makes sure `<projectRoot>/.venv/scan` holds the pinned checkov and cfn-lint
 * and returns their paths. Idempotent, and concurrent calls in one process
 * share one install; the first install takes about a minute.
 */
export function ensurePythonTools(
  projectRoot: string = DEFAULT_PROJECT_ROOT,
): Promise<PythonTools> {
  installing ??= install(projectRoot).finally(() => {
    installing = undefined;
  });
  return installing;
}

async function install(projectRoot: string): Promise<PythonTools> {
  const venv = join(projectRoot, SCAN_VENV);
  const tools: PythonTools = {
    checkov: join(venv, 'bin', 'checkov'),
    cfnLint: join(venv, 'bin', 'cfn-lint'),
  };
  const requirements = join(projectRoot, SCAN_REQUIREMENTS);
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const stamp = join(venv, STAMP);
  const installed =
    existsSync(tools.checkov) &&
    existsSync(tools.cfnLint) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === hash;
  if (installed) return tools;

  const started = Date.now();
  process.stderr.write(
    'scan: installing checkov and cfn-lint into .venv/scan (first use takes about a minute)…\n',
  );
  // Stale pins are dropped first: a venv holds whatever was installed last.
  await rm(stamp, { force: true });
  if (!existsSync(join(venv, 'bin', 'python'))) {
    await run('python3', ['-m', 'venv', venv]);
  }
  await run(join(venv, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    requirements,
  ]);
  // Stamped last, so an interrupted install is retried on the next call.
  await writeFile(stamp, `${hash}\n`);
  process.stderr.write(
    `scan: checkov and cfn-lint installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return tools;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (code ${code}):\n${output}`));
    });
  });
}
