/**
 * The function's bundle, built once when the package is built (`npm run build`)
 * and before the tests run (Vitest's global setup), never at a consumer's synth:
 * the construct deploys `dist/handler/` as it is (`Code.fromAsset`), so a
 * consumer needs neither esbuild nor Docker and uploads the bytes the tests ran.
 *
 * The bench builds its floor with {@link bundle} too, so both share every
 * esbuild setting; only the handler swaps the SDK's default credential chain
 * for the environment provider.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import {
  HANDLER_ASSET_DIR,
  SUBSCRIPTION_HEALTH_ASSET_DIR,
} from '../lib/receiver/receiver-function.ts';

/** Repository root. */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Where the deployable asset is written (the construct's home of the path): `index.mjs` only, the folder is the zip. */
export { HANDLER_ASSET_DIR };

/**
 * The asset's source map, kept beside the asset rather than in it: no runtime
 * reads it (the function runs without `--enable-source-maps`, which would parse
 * it at every cold start), and `npx apideck-webhooks trace-stack` maps a logged stack
 * through it offline.
 */
export const HANDLER_SOURCE_MAP = join(PROJECT_ROOT, 'dist', 'sourcemap', 'index.mjs.map');

/** The Lambda runtime the bundle targets (`nodejs24.x`). */
export const HANDLER_TARGET = 'node24';

/**
 * ESM output has no `require`. The AWS SDK's ESM builds (picked by
 * `mainFields`) need none, but a CommonJS-only transitive dependency would call
 * esbuild's `__require` shim and crash at cold start, which only shows after a
 * deploy. Defining `require` from `import.meta.url` makes that case work.
 */
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __apideckCreateRequire } from 'node:module'; const require = __apideckCreateRequire(import.meta.url);";

/** The options every bundle of the bench and of the package shares. */
export const COMMON_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: HANDLER_TARGET,
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_SHIM },
  minify: true,
  // External and without a `sourceMappingURL` comment: written for
  // `trace-stack`, never looked up by Node.js.
  sourcemap: 'external',
  sourcesContent: false,
  // The runtime's bundled SDK version drifts; shipping ours pins what was tested
  // and lets esbuild tree-shake it.
  external: [],
  logLevel: 'warning',
  legalComments: 'none',
} as const satisfies BuildOptions;

/**
 * The function only: the SDK clients' default credential chain is replaced by
 * `lambda/environment-credentials.ts` (Lambda passes credentials in the
 * environment; nothing else is ever consulted).
 */
export const HANDLER_ONLY_OPTIONS = {
  alias: {
    '@aws-sdk/credential-provider-node': join(PROJECT_ROOT, 'lambda', 'environment-credentials.ts'),
  },
} as const satisfies BuildOptions;

/** One built bundle. */
export interface BuiltBundle {
  readonly file: string;
  readonly map: string;
  readonly metafile: Metafile;
}

/**
 * Bundles `entry` into `<outdir>/index.mjs` (map moved to `mapFile`), with the
 * common options. The file is written beside and renamed into place, so a
 * synthesis copying `outdir` meanwhile (tests run in parallel, `cdk synth`
 * rebuilds first) sees the old file or the new one, never a missing or a
 * partial one.
 */
export async function bundle(
  entry: string,
  outdir: string,
  mapFile: string,
  extra: BuildOptions = {},
): Promise<BuiltBundle> {
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}-`));
  try {
    const staged = join(staging, 'index.mjs');
    const result = await build({
      ...COMMON_OPTIONS,
      ...extra,
      entryPoints: [entry],
      outfile: staged,
      metafile: true,
      absWorkingDir: PROJECT_ROOT,
    });
    const file = join(outdir, 'index.mjs');
    const linked = mapFile === `${file}.map`;
    writeMap(`${staged}.map`, linked ? `${staged}.map` : mapFile, linked ? outdir : undefined);
    const produced = readdirSync(staging);
    mkdirSync(outdir, { recursive: true });
    for (const name of produced) renameSync(join(staging, name), join(outdir, name));
    // Nothing else may stay in the folder: it is the deployed zip.
    for (const name of readdirSync(outdir)) {
      if (!produced.includes(name)) rmSync(join(outdir, name), { recursive: true, force: true });
    }
    return { file, map: mapFile, metafile: result.metafile };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Moves esbuild's map to `mapFile`, its sources relative to the new place and
 * every package under this project's `node_modules/` whatever path it was
 * reached by (a symlinked `node_modules` would otherwise leave the builder's
 * absolute layout in the map).
 */
function writeMap(written: string, mapFile: string, finalDir?: string): void {
  const map = JSON.parse(readFileSync(written, 'utf8')) as { sources: string[] };
  const from = dirname(written);
  // Relative to where the map ends up (a linked map moves with its bundle).
  const to = finalDir ?? dirname(mapFile);
  map.sources = map.sources.map((source) => {
    const absolute = resolve(from, source);
    const inPackage = absolute.lastIndexOf('/node_modules/');
    const local = inPackage < 0 ? absolute : join(PROJECT_ROOT, absolute.slice(inPackage + 1));
    return relative(to, local);
  });
  if (written !== mapFile) rmSync(written);
  mkdirSync(dirname(mapFile), { recursive: true });
  writeFileSync(mapFile, JSON.stringify(map));
}

/** Builds the function's asset into `dist/handler/` and its map into `dist/sourcemap/`. */
export function buildHandlerAsset(): Promise<BuiltBundle> {
  return bundle(
    join(PROJECT_ROOT, 'lambda', 'handler.ts'),
    HANDLER_ASSET_DIR,
    HANDLER_SOURCE_MAP,
    HANDLER_ONLY_OPTIONS,
  );
}

/** Builds the subscription-health function's asset into `dist/subscription-health/`. */
export function buildSubscriptionHealthAsset(): Promise<BuiltBundle> {
  return bundle(
    join(PROJECT_ROOT, 'lambda', 'subscription-health', 'handler.ts'),
    SUBSCRIPTION_HEALTH_ASSET_DIR,
    join(PROJECT_ROOT, 'dist', 'sourcemap', 'subscription-health.mjs.map'),
    HANDLER_ONLY_OPTIONS,
  );
}

/**
 * The package's command (`npx apideck-webhooks setup|reconcile|replay|trace-stack`), bundled with the SDK
 * clients it calls into `dist/cli/index.mjs`, so the package needs no runtime
 * dependency for it. It keeps the SDK's full credential chain: it runs on a
 * person's machine (profiles, SSO), not in Lambda.
 */
export function buildCli(): Promise<BuiltBundle> {
  return bundle(
    join(PROJECT_ROOT, 'cli', 'main.ts'),
    join(PROJECT_ROOT, 'dist', 'cli'),
    join(PROJECT_ROOT, 'dist', 'sourcemap', 'cli.mjs.map'),
    { banner: { js: `#!/usr/bin/env node\n${ESM_REQUIRE_SHIM}` } },
  );
}
