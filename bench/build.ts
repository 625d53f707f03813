/**
 * Builds the bundles the bench measures, with the CDK itself:
 *
 * - the handler: the stack of `bin/app.ts` (`ApideckWebhooksStack`, default
 *   props) synthesized with bundling on (local esbuild, never Docker), and the
 *   receiver function's asset taken from the cloud assembly, so the bytes are
 *   exactly what `cdk deploy` uploads;
 * - the floor: `bench/floor/handler.ts` as a `NodejsFunction` with the
 *   receiver's runtime and the very same bundling options
 *   (`RECEIVER_BUNDLING`);
 * - for the composition table only, both again with esbuild's metafile on
 *   (same options otherwise; the handler's output is checked to be identical).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ApideckWebhooksStack } from '../lib/apideck-webhooks-stack.ts';
import { RECEIVER_BUNDLING } from '../lib/receiver/receiver-function.ts';

export const PROJECT_ROOT = join(import.meta.dirname, '..');
export const BUILD_DIR = join(import.meta.dirname, '.build');

/** One built bundle. */
export interface Bundle {
  readonly dir: string;
  /** The entry module (`index.mjs`): the primary size figure and what is imported. */
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** gzip -9 of index.mjs, to show what compression does to the size (the deployed zip deflates). */
  readonly gzipBytes: number;
  readonly sha256: string;
}

/** Bytes in the output per origin, from esbuild's metafile. */
export interface Composition {
  /** `lambda/…` (the receiver's own code), `bench/…`, `@aws-sdk/…`, `@smithy/…`, other packages. */
  readonly byOrigin: Readonly<Record<string, number>>;
  /** Bytes per input file. */
  readonly byInput: Readonly<Record<string, number>>;
}

export interface Builds {
  readonly handler: Bundle;
  readonly floor: Bundle;
  /** `NODE_OPTIONS` of the deployed function (the cold-load runs use it). */
  readonly nodeOptions: string;
  readonly runtime: string;
  readonly architecture: string;
  readonly handlerComposition: Composition;
  readonly floorComposition: Composition;
  /** Whether the metafile build of the handler is byte-identical to the deployed one. */
  readonly compositionMatchesDeployed: boolean;
  readonly synthSeconds: number;
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

function functionJson(template: unknown, stack: Stack, fn: lambda.IFunction): FunctionJson {
  const child = fn.node.defaultChild;
  if (!(child instanceof CfnElement)) throw new Error(`${fn.node.path} has no L1 resource`);
  const resources = (template as { Resources: Record<string, FunctionJson> }).Resources;
  const resource = resources[stack.getLogicalId(child)];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${fn.node.path} not found`);
  return resource;
}

function bundleOf(outdir: string, resource: FunctionJson): Bundle {
  const key = resource.Properties.Code.S3Key;
  if (typeof key !== 'string' || !key.endsWith('.zip')) {
    throw new Error(`unexpected asset key ${JSON.stringify(key)}`);
  }
  const dir = join(outdir, `asset.${key.slice(0, -'.zip'.length)}`);
  const file = join(dir, 'index.mjs');
  const code = readFileSync(file);
  return {
    dir,
    file,
    bytes: code.byteLength,
    mapBytes: statSync(`${file}.map`).size,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    sha256: createHash('sha256').update(code).digest('hex'),
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

function composition(bundle: Bundle): Composition {
  const meta = JSON.parse(readFileSync(join(bundle.dir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
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

/** Synthesizes the app and the floor into `bench/.build/cdk.out` and reads the bundles. */
export function buildBundles(): Builds {
  const started = Date.now();
  const outdir = join(BUILD_DIR, 'cdk.out');
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({
    outdir,
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': ['**'] },
  });
  const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks');
  const receiver = stack.receiver.handler;

  const bench = new Stack(app, 'BenchFloor');
  const common = {
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    runtime: receiver.runtime,
    architecture: receiver.architecture,
  };
  const floorEntry = join(import.meta.dirname, 'floor', 'handler.ts');
  const floor = new NodejsFunction(bench, 'Floor', {
    ...common,
    entry: floorEntry,
    bundling: RECEIVER_BUNDLING,
  });
  const withMetafile = { ...RECEIVER_BUNDLING, metafile: true };
  const floorMeta = new NodejsFunction(bench, 'FloorMetafile', {
    ...common,
    entry: floorEntry,
    bundling: withMetafile,
  });
  const handlerMeta = new NodejsFunction(bench, 'HandlerMetafile', {
    ...common,
    entry: join(PROJECT_ROOT, 'lambda', 'handler.ts'),
    bundling: withMetafile,
  });

  const assembly = app.synth();
  const deployed = functionJson(assembly.getStackByName(stack.stackName).template, stack, receiver);
  const benchTemplate = assembly.getStackByName(bench.stackName).template;
  const handlerBundle = bundleOf(outdir, deployed);
  const handlerMetaBundle = bundleOf(outdir, functionJson(benchTemplate, bench, handlerMeta));
  const nodeOptions = deployed.Properties.Environment?.Variables?.NODE_OPTIONS;
  return {
    handler: handlerBundle,
    floor: bundleOf(outdir, functionJson(benchTemplate, bench, floor)),
    nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : '',
    runtime: receiver.runtime.name,
    architecture: receiver.architecture.name,
    handlerComposition: composition(handlerMetaBundle),
    floorComposition: composition(bundleOf(outdir, functionJson(benchTemplate, bench, floorMeta))),
    compositionMatchesDeployed: handlerMetaBundle.sha256 === handlerBundle.sha256,
    synthSeconds: (Date.now() - started) / 1000,
  };
}
