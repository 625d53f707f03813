/**
 * The steps of the consumer test, each a real command in a temporary folder:
 * pack the package as `npm publish` would (from a copy of the sources, so the
 * `prepack` build never touches this working tree while other tests read its
 * `dist/`), install the tarball into a fresh app with `npm install --offline`
 * (the peer dependencies come from the npm cache that this project's own
 * install filled), and synthesize the app.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** What `npm pack` reports about the tarball. */
export interface PackResult {
  /** The copy of the sources the package was built in (its `.jsii`, its generated docs). */
  readonly source: string;
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}

interface PackJson {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** Everything `npm run build` reads (the sources it compiles and bundles, its configuration). */
const BUILD_INPUTS = [
  'package.json',
  // Shipped as they are.
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'tsconfig.json',
  'tsconfig.jsii.json',
  'lib',
  'lambda',
  // The package's command, bundled at build time.
  'cli',
  // The consumer kit (apideck-webhooks-aws/consumer), bundled at build time, and its JSON Schema.
  'consumer',
  'schemas',
  'scripts',
  // The generated references (API, context keys), rewritten by the build.
  'docs',
];

/** Runs a command; on failure, throws with what it printed. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', env, stdio: 'pipe' });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

function npm(args: readonly string[], cwd: string): string {
  return run('npm', args, cwd, { ...process.env, npm_config_update_notifier: 'false' });
}

/** A temporary folder of its own for one step. */
export function workFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `apideck-package-${name}-`));
}

/** A copy of what the build reads, with this project's `node_modules` linked in. */
function sourceCopy(): string {
  const copy = workFolder('source');
  for (const input of BUILD_INPUTS) {
    cpSync(join(PROJECT_ROOT, input), join(copy, input), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** `npm pack` (running `prepack`: the full build) in a copy of the sources. */
export function packPackage(): PackResult {
  const copy = sourceCopy();
  const destination = workFolder('tarball');
  const [packed] = JSON.parse(
    npm(['pack', '--json', '--pack-destination', destination], copy),
  ) as PackJson[];
  if (packed === undefined) throw new Error('npm pack reported nothing');
  return {
    source: copy,
    tarball: join(destination, packed.filename),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: packed.files.map((file) => file.path).sort(),
  };
}

/** The exact version this project installs of `name` (so the npm cache holds it). */
export function projectVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const version = manifest.devDependencies[name] ?? manifest.dependencies?.[name];
  if (version === undefined) throw new Error(`${name} is not a dependency of the project`);
  return version;
}

/** Writes the files of an app (path → content) into a new folder. */
export function writeApp(name: string, files: Readonly<Record<string, string>>): string {
  const dir = workFolder(name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** `npm install --offline`: the tarball and the app's dependencies, from the npm cache only. */
export function installOffline(app: string): void {
  npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
}

/** Runs `node` (the one running the tests) in the app, with Docker made to fail if anything calls it. */
export function runNode(
  app: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  return run(process.execPath, args, app, {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? app,
    CDK_DOCKER: 'false',
    ...env,
  });
}
