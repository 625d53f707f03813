/**
 * The steps of the Python test, each a real command: build the Python
 * distribution with jsii-pacmak from the build the package project packed (a
 * copy of the sources, so nothing touches this working tree's `dist/`), install
 * it into a venv that holds the pinned `aws-cdk-lib`, `constructs` and
 * `cdk-nag` from PyPI, and synthesize the Python app of `./app/` and the
 * TypeScript ready app (`bin/app.ts`) the way the CDK CLI runs an app
 * (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv } from '../../tools/emulator/python-venv.ts';
import { PROJECT_ROOT, workFolder } from '../package/consumer-app.ts';
import type { CloudFormationTemplate } from './template-comparison.ts';

/** What a command printed, and how long it took. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs a command; on failure, throws with what it printed. */
export function run(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? PROJECT_ROOT,
        env: options.env ?? process.env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${command} ${args.join(' ')} failed:\n${stdout.slice(-4_000)}\n${stderr.slice(-8_000)}`,
              {
                cause: error,
              },
            ),
          );
          return;
        }
        resolve({ stdout, stderr, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

/**
 * The venv of the Python app (`<root>/.venv/python-cdk`), installed from
 * `./requirements.txt` and re-installed only when that file changes, so the
 * second CI run (the other Node.js) reuses it. Returns its `bin/` folder.
 */
export function ensureCdkVenv(): Promise<string> {
  return ensureVenv({
    venv: join(PROJECT_ROOT, '.venv', 'python-cdk'),
    requirements: join(import.meta.dirname, 'requirements.txt'),
    executables: ['python'],
    label: 'python: aws-cdk-lib, constructs, cdk-nag',
  });
}

/** The wheel jsii-pacmak built. */
export interface PythonPackage {
  readonly wheel: string;
  readonly seconds: number;
}

/**
 * jsii-pacmak's Python target (`npm run pacmak:python`, the second half of
 * `npm run package:python`) in `source`, a copy of the sources already built
 * (the one the package project packed); the wheel it wrote.
 */
export async function buildPythonPackage(source: string): Promise<PythonPackage> {
  const { seconds } = await run('npm', ['run', 'pacmak:python'], {
    cwd: source,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
    jsii: { outdir: string };
  };
  const pythonDir = join(source, manifest.jsii.outdir, 'python');
  const wheels = readdirSync(pythonDir).filter((file) => file.endsWith('.whl'));
  if (wheels.length !== 1) throw new Error(`expected one wheel in ${pythonDir}, found ${wheels}`);
  return { wheel: join(pythonDir, wheels[0] as string), seconds };
}

/**
 * Installs the wheel into the venv without touching its pinned dependencies
 * (`--no-deps`, from the file only), then `pip check`: a Python requirement
 * the pinned `aws-cdk-lib` or `constructs` does not meet (a peer floor above
 * what PyPI serves) fails here, naming both versions.
 */
export async function installPackage(bin: string, wheel: string): Promise<CommandResult> {
  const python = join(bin, 'python');
  const pip = ['-m', 'pip', '--disable-pip-version-check'];
  const installed = await run(python, [
    ...pip,
    'install',
    '--quiet',
    '--no-index',
    '--no-deps',
    '--force-reinstall',
    wheel,
  ]);
  await run(python, [...pip, 'check']);
  return installed;
}

/**
 * The context `cdk synth` gives an app of this project: the feature flags of
 * `cdk.json` and the CLI's defaults for construct-path and asset metadata
 * (version reporting left off, as `--no-version-reporting`: its resource
 * encodes the language runtime and the library versions, which differ by design).
 */
export function cliContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return {
    ...cdkJson.context,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
  };
}

/** A synthesized app: its stack's template and how long synthesis took. */
export interface Synthesis {
  readonly template: CloudFormationTemplate;
  readonly seconds: number;
  readonly output: string;
}

/** The Python app: `app.py`, the ready app's counterpart. */
export const PYTHON_APP_DIR = join(import.meta.dirname, 'app');

/** The stack both apps synthesize. */
export const STACK_NAME = 'ApideckWebhooks';

/** The environment the CDK CLI gives an app: where to write, the context, no Docker. */
function appEnvironment(
  outdir: string,
  context: Readonly<Record<string, unknown>>,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_DOCKER: 'false',
    // The jsii kernel runs on the Node.js running the tests (the one CI chose), not on PATH's.
    JSII_NODE: process.execPath,
    JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1',
  };
}

function readTemplate(outdir: string): CloudFormationTemplate {
  return JSON.parse(
    readFileSync(join(outdir, `${STACK_NAME}.template.json`), 'utf8'),
  ) as CloudFormationTemplate;
}

/** Runs `app.py` with the venv's Python. */
export async function synthPythonApp(
  bin: string,
  context: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string>> = {},
): Promise<Synthesis> {
  const outdir = workFolder('python-cdk-out');
  const { stdout, stderr, seconds } = await run(join(bin, 'python'), ['app.py'], {
    cwd: PYTHON_APP_DIR,
    env: { ...appEnvironment(outdir, context), ...env },
  });
  return { template: readTemplate(outdir), seconds, output: stdout + stderr };
}

/** Runs the ready app, `bin/app.ts`, as `cdk synth` does (`npx tsx bin/app.ts`). */
export async function synthReadyApp(
  context: Readonly<Record<string, unknown>>,
): Promise<Synthesis> {
  const outdir = workFolder('ts-cdk-out');
  mkdirSync(outdir, { recursive: true });
  const { stdout, stderr, seconds } = await run(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'bin', 'app.ts')],
    { env: appEnvironment(outdir, context) },
  );
  return { template: readTemplate(outdir), seconds, output: stdout + stderr };
}
