/**
 * `npm run build` (also `prepack`): the package's `dist/`, its jsii assembly
 * and its API reference. Three compilers, each for its own part:
 *
 * - jsii (its own TypeScript, `tsconfig.jsii.json`) compiles the construct
 *   library, `lib/` and what it imports of `lambda/contract/`, to CommonJS in
 *   `dist/cjs/` with declarations, and writes the `.jsii` assembly that
 *   jsii-pacmak turns into the Python, Java, .NET and Go packages. The package
 *   is `"type": "module"`, so `dist/cjs/package.json` marks that folder
 *   CommonJS; the declarations keep the sources' `.ts` specifiers, rewritten
 *   here to `.js`, which every consumer's module resolution understands;
 * - esbuild bundles the functions (`dist/handler/`, `dist/subscription-health/`,
 *   maps in `dist/sourcemap/`) and the command (`dist/cli/`), as plain ES
 *   modules (`scripts/handler-bundle.ts`);
 * - from the assembly, jsii-docgen writes the API reference,
 *   `docs/api/README.md`, and `scripts/configuration-table.ts` the context-key
 *   table of `docs/configuration.md` (a package test keeps both fresh).
 *
 * TypeScript 7 (`npm run typecheck`) type-checks everything, emitting nothing.
 *
 * `--handler` builds the function bundles only: what `cdk synth` of this
 * repository's app runs first (`cdk.json`), so a deploy from the sources never
 * ships a stale one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeConfigurationTable } from './configuration-table.ts';
import { buildConsumer } from './consumer-build.ts';
import {
  type BuiltBundle,
  buildCli,
  buildHandlerAsset,
  buildSubscriptionHealthAsset,
  PROJECT_ROOT,
} from './handler-bundle.ts';

const DIST = join(PROJECT_ROOT, 'dist');

/** jsii's output: the construct library as CommonJS with declarations. */
export const JSII_OUT_DIR = join(DIST, 'cjs');

/** The API reference generated from the assembly. */
export const API_REFERENCE = join(PROJECT_ROOT, 'docs', 'api', 'README.md');

/**
 * The esbuild bundles of the package, built side by side after jsii. A new
 * plain-ESM entry point of the package (a runtime subpath) adds its build here.
 */
export const BUNDLE_STEPS: ReadonlyArray<() => Promise<BuiltBundle>> = [
  buildHandlerAsset,
  buildSubscriptionHealthAsset,
  buildCli,
];

/** `from './x.ts'`, `import('./x.ts')`: relative specifiers only. */
const RELATIVE_TS_SPECIFIER = /((?:from\s+|import\()\s*['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g;

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Rewrites the `.ts` specifiers left in the declarations; returns how many files changed. */
export function rewriteDeclarationSpecifiers(dir: string): number {
  let changed = 0;
  for (const file of declarationFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(RELATIVE_TS_SPECIFIER, '$1.js$2');
    if (rewritten !== text) {
      writeFileSync(file, rewritten);
      changed++;
    }
  }
  return changed;
}

/** Runs a tool of `node_modules/.bin` with this Node.js; stdout goes to stderr (`npm pack --json` owns stdout). */
function tool(name: string, args: readonly string[]): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', name, 'bin', name), ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
}

/** `.jsii` and `dist/cjs/`; returns the number of declaration files rewritten. */
export function compileConstructLibrary(): number {
  tool('jsii', ['--fail-on-warnings']);
  writeFileSync(join(JSII_OUT_DIR, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  return rewriteDeclarationSpecifiers(JSII_OUT_DIR);
}

/** The API reference (TypeScript signatures), from the assembly. */
export function writeApiReference(output: string = API_REFERENCE): void {
  mkdirSync(join(output, '..'), { recursive: true });
  tool('jsii-docgen', ['--language', 'typescript', '--output', output]);
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.argv.includes('--handler')) {
    const [handler] = await Promise.all([buildHandlerAsset(), buildSubscriptionHealthAsset()]);
    process.stderr.write(`build: ${handler?.file} in ${elapsed(started)} ms\n`);
    return;
  }
  rmSync(DIST, { recursive: true, force: true });
  const declarations = compileConstructLibrary();
  const jsiiDone = performance.now();
  const [[handler]] = await Promise.all([
    Promise.all(BUNDLE_STEPS.map((step) => step())),
    buildConsumer(),
  ]);
  const bundlesDone = performance.now();
  writeApiReference();
  writeConfigurationTable(PROJECT_ROOT);
  // stderr: `npm pack --json` runs this as `prepack` and owns stdout.
  process.stderr.write(
    `build: dist/ in ${elapsed(started)} ms (jsii ${Math.round(jsiiDone - started)} ms, ${declarations} declaration files rewritten; esbuild ${Math.round(bundlesDone - jsiiDone)} ms, handler ${handler?.file}; API reference and configuration table ${elapsed(bundlesDone)} ms)\n`,
  );
}

if (process.argv[1] === import.meta.filename) await main();
