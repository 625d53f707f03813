/**
 * `npm run build` (also `prepack`): the package's `dist/`.
 *
 * - `dist/lib/` and `dist/lambda/contract/`: the construct library compiled by
 *   `tsc -p tsconfig.build.json` to ES modules with declarations
 *   (`rewriteRelativeImportExtensions` turns the sources' `.ts` specifiers into
 *   `.js` in the JavaScript; declarations keep `.ts`, so they are rewritten
 *   here, which every consumer's module resolution understands);
 * - `dist/handler/index.mjs`: the function's bundle (`scripts/handler-bundle.ts`),
 *   with its map in `dist/sourcemap/`.
 *
 * `--handler` builds the bundle only: what `cdk synth` of this repository's app
 * runs first (`cdk.json`), so a deploy from the sources never ships a stale one.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsumer } from './consumer-build.ts';
import {
  buildCli,
  buildHandlerAsset,
  buildSubscriptionHealthAsset,
  PROJECT_ROOT,
} from './handler-bundle.ts';

const DIST = join(PROJECT_ROOT, 'dist');

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

async function main(): Promise<void> {
  const started = performance.now();
  if (process.argv.includes('--handler')) {
    const [handler] = await Promise.all([buildHandlerAsset(), buildSubscriptionHealthAsset()]);
    process.stderr.write(
      `build: ${handler.file} in ${Math.round(performance.now() - started)} ms\n`,
    );
    return;
  }
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: PROJECT_ROOT, stdio: 'inherit' },
  );
  const declarations = rewriteDeclarationSpecifiers(DIST);
  const [handler] = await Promise.all([
    buildHandlerAsset(),
    buildSubscriptionHealthAsset(),
    buildCli(),
    buildConsumer(),
  ]);
  // stderr: `npm pack --json` runs this as `prepack` and owns stdout.
  process.stderr.write(
    `build: dist/ in ${Math.round(performance.now() - started)} ms (${declarations} declaration files rewritten; handler ${handler.file})\n`,
  );
}

if (process.argv[1] === import.meta.filename) await main();
