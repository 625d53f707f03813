/**
 * The consumer kit's part of `npm run build` (`apideck-webhooks-aws/consumer`
 * and the event schema):
 *
 * - `dist/consumer/index.mjs` and its `chunks/`: `consumer/` bundled with
 *   esbuild, with the Powertools utilities and the DynamoDB client it uses, so
 *   the package needs no runtime dependency (a jsii package may only depend on
 *   jsii modules) and the subscriber's function runs the versions the tests
 *   ran. Not minified: the subscriber's own bundler minifies, and stack traces
 *   stay readable.
 * - `dist/consumer/index.d.ts`: its declarations rolled into one file by API
 *   Extractor, which must import nothing (a user without `@types/aws-lambda`
 *   or Powertools type-checks against it); the build fails if it does.
 * - `schemas/apideck-event.schema.json`: the JSON Schema, generated from the
 *   event model.
 *
 * `npx tsx scripts/consumer-build.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { build, type Metafile } from 'esbuild';
import { apideckEventJsonSchemaText } from '../consumer/json-schema.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Where the kit is built. */
export const CONSUMER_DIST = join(PROJECT_ROOT, 'dist', 'consumer');

/** The JSON Schema file, as the package exports it. */
export const EVENT_SCHEMA_FILE = join(PROJECT_ROOT, 'schemas', 'apideck-event.schema.json');

/** The oldest Node.js the package supports (`engines`); Lambda's nodejs22.x and nodejs24.x both run it. */
const CONSUMER_TARGET = 'node22';

/** What {@link buildConsumer} built. */
export interface BuiltConsumer {
  readonly file: string;
  readonly declarations: string;
  readonly metafile: Metafile;
}

/** Writes the JSON Schema generated from the model. */
export function writeEventSchema(): void {
  mkdirSync(join(PROJECT_ROOT, 'schemas'), { recursive: true });
  writeFileSync(EVENT_SCHEMA_FILE, apideckEventJsonSchemaText());
}

async function bundleConsumer(): Promise<{ file: string; metafile: Metafile }> {
  const file = join(CONSUMER_DIST, 'index.mjs');
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'consumer', 'index.ts')],
    outdir: CONSUMER_DIST,
    outExtension: { '.js': '.mjs' },
    // Batch and Idempotency (with the DynamoDB client) in chunks of their own,
    // loaded on first use: a function that only parses never loads them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: CONSUMER_TARGET,
    mainFields: ['module', 'main'],
    minify: false,
    treeShaking: true,
    legalComments: 'none',
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'warning',
  });
  return { file, metafile: result.metafile };
}

function rollUpDeclarations(): string {
  const emitted = join(PROJECT_ROOT, 'dist', 'consumer-declarations');
  rmSync(emitted, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      join(PROJECT_ROOT, 'consumer', 'index.ts'),
      ...['--ignoreConfig', '--declaration', '--emitDeclarationOnly', '--strict', '--skipLibCheck'],
      ...['--target', 'ES2022', '--module', 'preserve', '--moduleResolution', 'bundler'],
      ...['--allowImportingTsExtensions', '--exactOptionalPropertyTypes', '--types', 'node'],
      ...['--rootDir', PROJECT_ROOT, '--outDir', emitted],
    ],
    // stderr only: `npm pack --json` runs the build as `prepack` and owns stdout.
    { cwd: PROJECT_ROOT, stdio: ['ignore', process.stderr, 'inherit'] },
  );
  const declarations = join(CONSUMER_DIST, 'index.d.ts');
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: PROJECT_ROOT,
      mainEntryPointFilePath: join(emitted, 'consumer', 'index.d.ts'),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'preserve',
            moduleResolution: 'bundler',
            allowImportingTsExtensions: true,
            lib: ['ES2023'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          include: [emitted],
        },
      },
      dtsRollup: { enabled: true, untrimmedFilePath: declarations },
      apiReport: { enabled: false },
      docModel: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: {
          default: { logLevel: 'warning' as never },
          'ae-missing-release-tag': { logLevel: 'none' as never },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' as never } },
      },
    },
    configObjectFullPath: join(PROJECT_ROOT, 'api-extractor.consumer.json'),
    packageJsonFullPath: join(PROJECT_ROOT, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (message) => {
      message.handled = true;
      if (message.logLevel === 'error' || message.logLevel === 'warning') {
        process.stderr.write(`${message.formatMessageWithLocation(PROJECT_ROOT)}\n`);
      }
    },
  });
  rmSync(emitted, { recursive: true, force: true });
  if (!result.succeeded) throw new Error(`API Extractor failed on the consumer declarations`);
  const text = readFileSync(declarations, 'utf8');
  const imports = text.match(/^\s*(import|export) .* from ['"].*['"];?$/gm) ?? [];
  if (imports.length > 0) {
    throw new Error(
      `dist/consumer/index.d.ts must stand alone, but it has: ${imports.join(' | ')}`,
    );
  }
  return declarations;
}

/** Builds `dist/consumer/` and the schema file. */
export async function buildConsumer(): Promise<BuiltConsumer> {
  rmSync(CONSUMER_DIST, { recursive: true, force: true });
  mkdirSync(CONSUMER_DIST, { recursive: true });
  writeEventSchema();
  const { file, metafile } = await bundleConsumer();
  return { file, declarations: rollUpDeclarations(), metafile };
}

if (process.argv[1] === import.meta.filename) {
  const started = performance.now();
  const built = await buildConsumer();
  process.stderr.write(
    `consumer: ${built.file} and ${built.declarations} in ${Math.round(performance.now() - started)} ms\n`,
  );
}
