/**
 * Installs pinned Python tools into a project-local venv on first use: the
 * venv is (re)installed only when its requirements file's hash differs from
 * the one stamped after the last install, so later calls cost a file read.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const OUTPUT_TAIL_CHARS = 4_000;
const STAMP = '.requirements.sha256';

/** What {@link ensureVenv} installs. */
export interface VenvSpec {
  /** The venv's folder. */
  readonly venv: string;
  /** The pinned requirements file. */
  readonly requirements: string;
  /** Executables (names in the venv's `bin/`) whose presence means "installed". */
  readonly executables: readonly string[];
  /** What to call it in the progress lines (e.g. `emulator: moto`). */
  readonly label: string;
}

/** Installs the spec's requirements unless already installed; returns the venv's `bin/` folder. */
export async function ensureVenv(spec: VenvSpec): Promise<string> {
  const bin = join(spec.venv, 'bin');
  const hash = createHash('sha256').update(readFileSync(spec.requirements)).digest('hex');
  const stamp = join(spec.venv, STAMP);
  const installed =
    spec.executables.every((name) => existsSync(join(bin, name))) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === hash;
  if (installed) return bin;

  const started = Date.now();
  process.stderr.write(
    `${spec.label}: installing into ${spec.venv} (first use takes about a minute)…\n`,
  );
  // Stale pins are dropped first: a venv holds whatever was installed last.
  await rm(stamp, { force: true });
  if (!existsSync(join(bin, 'python'))) await run('python3', ['-m', 'venv', spec.venv]);
  await run(join(bin, 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    spec.requirements,
  ]);
  // Stamped last, so an interrupted install is retried on the next call.
  await writeFile(stamp, `${hash}\n`);
  process.stderr.write(
    `${spec.label}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return bin;
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
