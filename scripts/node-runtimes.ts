/**
 * Node.js builds from the npm registry (`node-<platform>-<arch>` packages, the
 * official binaries), so CI and the bench can run on the versions Lambda runs
 * without a version manager: `nodejs24.x` (what the function deploys on) and
 * 22, the oldest this package supports (`engines`).
 *
 * `tsx scripts/node-runtimes.ts 24` installs the pinned 24 (once, under
 * `.cache/node/`) and prints the path of its `node` binary.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The exact builds used, by major version. Bump together with `engines` and the Lambda runtime. */
export const NODE_RUNTIMES = { 22: '22.23.5', 24: '24.22.3' } as const;

/** A major version in {@link NODE_RUNTIMES}. */
export type NodeMajor = keyof typeof NODE_RUNTIMES;

const CACHE_DIR = join(import.meta.dirname, '..', '.cache', 'node');

function packageName(): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${platform}-${process.arch}`;
}

/** Installs the pinned build of `major` if missing; returns the path of its `node` binary. */
export function nodeBinary(major: NodeMajor): string {
  const version = NODE_RUNTIMES[major];
  const prefix = join(CACHE_DIR, version);
  const binary = join(prefix, 'node_modules', packageName(), 'bin', 'node');
  if (!existsSync(binary)) {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        `${packageName()}@${version}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, not v${version}`);
  return binary;
}

/** What a {@link evalModule} process wrote, and how it exited. */
export interface EvalResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `source` as an ES module in a fresh process of the `node` binary given,
 * with exactly `env` as its environment, and resolves when it exits, whatever
 * its exit code: the callers judge the output.
 */
export function evalModule(
  node: string,
  source: string,
  env: Readonly<Record<string, string>>,
): Promise<EvalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--input-type=module', '--eval', source], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function isMajor(value: string | undefined): value is `${NodeMajor}` {
  return value !== undefined && Object.hasOwn(NODE_RUNTIMES, value);
}

if (process.argv[1] === import.meta.filename) {
  const [major] = process.argv.slice(2);
  if (!isMajor(major)) {
    process.stderr.write(
      `usage: tsx scripts/node-runtimes.ts <${Object.keys(NODE_RUNTIMES).join('|')}>\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`${nodeBinary(Number(major) as NodeMajor)}\n`);
}
