/**
 * Builds the bundles the bench measures:
 *
 * - the handler: the package's prebuilt asset (`scripts/handler-bundle.ts`,
 *   built afresh), taken from the cloud assembly of the stack of `bin/app.ts`
 *   (`ApideckWebhooksStack`, default props), so the bytes are exactly what
 *   `cdk deploy` uploads (checked equal to `dist/handler/index.mjs`), run with
 *   the function's environment as synthesized (its `NODE_OPTIONS`, if any);
 * - the floor: `bench/floor/handler.ts` bundled with the same common esbuild
 *   options, and, as anyone would run it, without a source map loaded;
 * - the calling floor (`bench/floor/deployed.ts`, the same clients and the
 *   receiver's calls), bundled alike, for the as-deployed warm-CPU figure;
 * - the handler with the SDK's defaults (information): the same sources with
 *   the SDK's default credential chain (instead of the environment-only
 *   provider the asset is built with) and a linked source map, run with
 *   `--enable-source-maps`: what the package's build choices save.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Metafile } from 'esbuild';
import { ApideckWebhooksStack } from '../lib/apideck-webhooks-stack.ts';
import {
  type BuiltBundle,
  buildHandlerAsset,
  bundle,
  HANDLER_SOURCE_MAP,
  PROJECT_ROOT,
} from '../scripts/handler-bundle.ts';

export { PROJECT_ROOT };
export const BUILD_DIR = join(import.meta.dirname, '.build');

/** `NODE_OPTIONS` of the handler with the SDK's defaults: source maps applied by Node.js. */
export const SDK_DEFAULTS_NODE_OPTIONS = '--enable-source-maps';

/** One built bundle. */
export interface Bundle {
  /** The entry module (`index.mjs`): the primary size figure and what is imported. */
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** gzip -9 of index.mjs, to show what compression does to the size (the deployed zip deflates). */
  readonly gzipBytes: number;
  /** Bytes in the output per origin and per input file, from esbuild's metafile. */
  readonly composition: Composition;
}

/** Bytes in the output, from esbuild's metafile. */
export interface Composition {
  /** `lambda/…` (the receiver's own code), `bench/…`, `@aws-sdk/…`, `@smithy/…`, other packages. */
  readonly byOrigin: Readonly<Record<string, number>>;
  readonly byInput: Readonly<Record<string, number>>;
}

/** The three bundles and how the deployed function runs the handler. */
export interface Builds {
  readonly handler: Bundle;
  readonly floor: Bundle;
  /** The floor that makes the receiver's calls, bundled alike (warm CPU as deployed). */
  readonly floorCalls: Bundle;
  /** The handler with the SDK's defaults (default credential chain, linked source map). */
  readonly sdkDefaults: Bundle;
  /** `NODE_OPTIONS` of the deployed function (the cold-load runs use it; empty when unset). */
  readonly nodeOptions: string;
  readonly runtime: string;
  readonly architecture: string;
  /** Whether the asset in the cloud assembly is byte-identical to `dist/handler/index.mjs`. */
  readonly assetMatchesPackage: boolean;
}

interface FunctionJson {
  readonly Type: string;
  readonly Properties: {
    readonly Code: { readonly S3Key?: unknown };
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
  };
}

function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** The synthesized function's asset file and `NODE_OPTIONS` (empty when unset), from the template. */
function deployedFunction(outdir: string, template: unknown, stack: Stack, fn: lambda.IFunction) {
  const child = fn.node.defaultChild;
  if (!(child instanceof CfnElement)) throw new Error(`${fn.node.path} has no L1 resource`);
  const resources = (template as { Resources: Record<string, FunctionJson> }).Resources;
  const resource = resources[stack.getLogicalId(child)];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${fn.node.path} not found`);
  const key = resource.Properties.Code.S3Key;
  if (typeof key !== 'string' || !key.endsWith('.zip')) {
    throw new Error(`unexpected asset key ${JSON.stringify(key)}`);
  }
  const nodeOptions = resource.Properties.Environment?.Variables?.NODE_OPTIONS;
  return {
    file: join(outdir, `asset.${key.slice(0, -'.zip'.length)}`, 'index.mjs'),
    nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : '',
  };
}

function describe(file: string, mapFile: string, meta: Metafile): Bundle {
  const code = readFileSync(file);
  return {
    file,
    bytes: code.byteLength,
    mapBytes: statSync(mapFile).size,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    composition: composition(meta),
  };
}

function originOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (inPackage?.[1] !== undefined) {
    const name = inPackage[1];
    if (name.startsWith('@aws-sdk/')) return '@aws-sdk/*';
    if (name.startsWith('@smithy/')) return '@smithy/*';
    return name;
  }
  return input.split('/')[0] ?? input;
}

function composition(meta: Metafile): Composition {
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('.mjs'))?.[1];
  if (output === undefined) throw new Error('metafile without an .mjs output');
  const byOrigin: Record<string, number> = {};
  const byInput: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = input.replace(/^.*node_modules\//, 'node_modules/');
    byInput[name] = bytesInOutput;
    const origin = originOf(input);
    byOrigin[origin] = (byOrigin[origin] ?? 0) + bytesInOutput;
  }
  return { byOrigin, byInput };
}

/** Builds the asset and the floor, synthesizes the app into `bench/.build/cdk.out` and reads the bundles. */
export async function buildBundles(): Promise<Builds> {
  const handler: BuiltBundle = await buildHandlerAsset();
  const floor = await bundle(
    join(import.meta.dirname, 'floor', 'handler.ts'),
    join(BUILD_DIR, 'floor'),
    join(BUILD_DIR, 'floor.map', 'index.mjs.map'),
  );
  const floorCalls = await bundle(
    join(import.meta.dirname, 'floor', 'deployed.ts'),
    join(BUILD_DIR, 'floor-calls'),
    join(BUILD_DIR, 'floor-calls.map', 'index.mjs.map'),
  );
  // Linked: the map beside the file and a `sourceMappingURL` comment.
  const sdkDefaultsDir = join(BUILD_DIR, 'sdk-defaults');
  const sdkDefaults = await bundle(
    join(PROJECT_ROOT, 'lambda', 'handler.ts'),
    sdkDefaultsDir,
    join(sdkDefaultsDir, 'index.mjs.map'),
    { sourcemap: 'linked' },
  );

  const outdir = join(BUILD_DIR, 'cdk.out');
  const app = new App({ outdir, context: cdkContext() });
  const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks');
  const receiver = stack.receiver.handler;
  const { template } = app.synth().getStackByName(stack.stackName);
  const deployed = deployedFunction(outdir, template, stack, receiver);
  return {
    handler: describe(deployed.file, HANDLER_SOURCE_MAP, handler.metafile),
    floor: describe(floor.file, floor.map, floor.metafile),
    floorCalls: describe(floorCalls.file, floorCalls.map, floorCalls.metafile),
    sdkDefaults: describe(sdkDefaults.file, sdkDefaults.map, sdkDefaults.metafile),
    nodeOptions: deployed.nodeOptions,
    runtime: receiver.runtime.name,
    architecture: receiver.architecture.name,
    assetMatchesPackage: readFileSync(deployed.file).equals(readFileSync(handler.file)),
  };
}
