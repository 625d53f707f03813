/**
 * The package as a CDK user gets it: `npm pack`, the tarball installed into a
 * fresh app (a `cdk init app --language typescript` one, compiled by tsc to
 * CommonJS, and a plain Node.js ESM one), each synthesized with cdk-nag, and
 * the function's asset compared with the bundle the other tests ran.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { HANDLER_ASSET_DIR, HANDLER_SOURCE_MAP } from '../../scripts/handler-bundle.ts';
import {
  installOffline,
  type PackResult,
  PROJECT_ROOT,
  projectVersion,
  runNode,
  writeApp,
} from './consumer-app.ts';

const PACKAGE = 'apideck-webhooks-aws';

/**
 * The receiver in a stack of the consumer's own, checked by cdk-nag at
 * synthesis (which fails on any unacknowledged finding). With `NAG_PROBE` set
 * it adds a queue cdk-nag must flag, which shows the checks really run.
 */
const APP_SOURCE = `import { App, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApideckWebhookReceiver } from '${PACKAGE}';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ConsumerStack');
const receiver = new ApideckWebhookReceiver(stack, 'Webhooks');
new CfnOutput(stack, 'WebhookUrl', { value: receiver.webhookUrl });
if (process.env.NAG_PROBE) new Queue(stack, 'ProbeWithoutDeadLetters');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
`;

/** `cdk init app --language typescript`'s compiler options, emitting to `out/`. */
const CDK_INIT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['es2022'],
    declaration: true,
    strict: true,
    noImplicitAny: true,
    strictNullChecks: true,
    noImplicitThis: true,
    alwaysStrict: true,
    noImplicitReturns: true,
    inlineSourceMap: true,
    inlineSources: true,
    experimentalDecorators: true,
    strictPropertyInitialization: false,
    // cdk init sets true; false also checks this package's declarations.
    skipLibCheck: false,
    isolatedModules: true,
    types: ['node'],
    rootDir: '.',
    outDir: 'out',
  },
  include: ['bin'],
};

function manifest(name: string, tarball: string, type?: 'module'): string {
  return JSON.stringify({
    name,
    version: '0.0.0',
    private: true,
    ...(type === undefined ? {} : { type }),
    dependencies: {
      [PACKAGE]: `file:${tarball}`,
      'aws-cdk-lib': projectVersion('aws-cdk-lib'),
      constructs: projectVersion('constructs'),
      'cdk-nag': projectVersion('cdk-nag'),
    },
    devDependencies: { '@types/node': projectVersion('@types/node') },
  });
}

const sha256 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

interface TemplateJson {
  readonly Resources: Record<
    string,
    {
      readonly Type: string;
      readonly Properties: {
        readonly Handler?: string;
        readonly Code?: { readonly S3Key?: unknown };
        readonly Environment?: { readonly Variables?: Record<string, unknown> };
      };
    }
  >;
}

/** The receiver function's `index.mjs` in the app's cloud assembly. */
function deployedHandler(app: string): string {
  const outdir = join(app, 'cdk.out');
  const template = JSON.parse(
    readFileSync(join(outdir, 'ConsumerStack.template.json'), 'utf8'),
  ) as TemplateJson;
  const receivers = Object.values(template.Resources).filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Properties.Environment?.Variables?.TOPIC_ARNS !== undefined,
  );
  expect(receivers).toHaveLength(1);
  const key = receivers[0]?.Properties.Code?.S3Key;
  if (typeof key !== 'string') throw new Error(`unexpected asset key ${String(key)}`);
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
}

const packed: PackResult = inject('packed');

/**
 * The position (1-based, as a stack prints it) of a string literal of the
 * receiver's own code in the bundle, and the `source:line:column` the map
 * gives for it: what `trace-stack` should print for a frame there.
 */
function receiverPosition(
  bundle: string,
  map: SourceMap,
): { line: number; column: number; source: string } {
  const lines = bundle.split('\n');
  const line = lines.findIndex((text) => text.includes('"x-apideck-signature"'));
  const column = lines[line]?.indexOf('"x-apideck-signature"') ?? -1;
  const found = map.findEntry(line, column);
  if (line < 0 || !('originalSource' in found) || !found.originalSource.includes('lambda/')) {
    throw new Error('the map attributes no receiver code to the signature header literal');
  }
  return {
    line: line + 1,
    column: column + 1,
    source: `${found.originalSource.replace(/^(?:\.\.\/)+/, '')}:${found.originalLine + 1}:${found.originalColumn + 1}`,
  };
}

describe('package', () => {
  it('packs the jsii assembly, compiled JavaScript, declarations and the prebuilt handler, and no TypeScript source', () => {
    expect(packed.files).toContain('.jsii');
    expect(packed.files).toContain('dist/cjs/lib/index.js');
    expect(packed.files).toContain('dist/cjs/lib/index.d.ts');
    // Marks jsii's CommonJS output as such inside a `"type": "module"` package.
    expect(packed.files).toContain('dist/cjs/package.json');
    expect(packed.files).toContain('dist/handler/index.mjs');
    expect(packed.files).toContain('dist/sourcemap/index.mjs.map');
    expect(packed.files.filter((file) => /(?<!\.d)\.ts$/.test(file))).toEqual([]);
    expect(packed.files.filter((file) => file.startsWith('dist/handler/'))).toEqual([
      'dist/handler/index.mjs',
    ]);
  });

  it('carries its licence, README and changelog', () => {
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md']));
  });

  it('installs offline and synthesizes with cdk-nag in a cdk init TypeScript app compiled to CommonJS', () => {
    const app = writeApp('cjs', {
      'package.json': manifest('consumer-cjs', packed.tarball),
      'tsconfig.json': JSON.stringify(CDK_INIT_TSCONFIG),
      'bin/app.ts': APP_SOURCE,
    });
    installOffline(app);
    runNode(app, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(readFileSync(join(app, 'out', 'bin', 'app.js'), 'utf8')).toContain(
      `require("${PACKAGE}")`,
    );
    rmSync(join(app, 'package-lock.json'));
    runNode(app, ['out/bin/app.js']);

    const installed = join(app, 'node_modules', PACKAGE);
    expect(sha256(deployedHandler(app))).toBe(sha256(join(HANDLER_ASSET_DIR, 'index.mjs')));
    expect(sha256(deployedHandler(app))).toBe(
      sha256(join(installed, 'dist', 'handler', 'index.mjs')),
    );
    // The map `npx apideck-webhooks trace-stack` reads is the one built beside the tested bundle.
    expect(sha256(join(installed, 'dist', 'sourcemap', 'index.mjs.map'))).toBe(
      sha256(HANDLER_SOURCE_MAP),
    );
    // Neither a bundler nor a second CDK: the peer dependencies are the app's own.
    expect(existsSync(join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  });

  it('installs offline and synthesizes with cdk-nag in a plain Node.js ESM app', () => {
    const app = writeApp('esm', {
      'package.json': manifest('consumer-esm', packed.tarball, 'module'),
      'app.js': APP_SOURCE,
    });
    installOffline(app);
    rmSync(join(app, 'package-lock.json'));
    runNode(app, ['app.js']);
    expect(sha256(deployedHandler(app))).toBe(sha256(join(HANDLER_ASSET_DIR, 'index.mjs')));
  });

  /** The package's command in one consumer app, installed on first use. */
  let installedCli: { readonly app: string; readonly bin: string } | undefined;
  const cli = () => {
    if (installedCli === undefined) {
      const app = writeApp('cli', {
        'package.json': manifest('consumer-cli', packed.tarball, 'module'),
      });
      installOffline(app);
      installedCli = { app, bin: join(app, 'node_modules', '.bin', 'apideck-webhooks') };
    }
    return installedCli;
  };

  it.each(['setup', 'reconcile', 'replay', 'trace-stack'])(
    'installs the %s command, bundled, as npx apideck-webhooks',
    (command) => {
      const { app, bin } = cli();
      expect(runNode(app, [bin, command, '--help'])).toContain(
        `usage: npx apideck-webhooks ${command}`,
      );
    },
  );

  it('maps a frame of the packaged handler to its source through the packaged source map', () => {
    const { app, bin } = cli();
    const mapFile = join(app, 'node_modules', PACKAGE, 'dist', 'sourcemap', 'index.mjs.map');
    const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
    const bundle = readFileSync(
      join(app, 'node_modules', PACKAGE, 'dist', 'handler', 'index.mjs'),
      'utf8',
    );
    const generated = receiverPosition(bundle, map);
    const frame = `    at handler (file:///var/task/index.mjs:${generated.line}:${generated.column})`;
    const traced = execFileSync(process.execPath, [bin, 'trace-stack'], {
      cwd: app,
      input: `${frame}\n`,
      encoding: 'utf8',
    });
    expect(traced.trimEnd()).toBe(`    at handler (${generated.source})`);
  });

  it("fails the consumer's synthesis on a finding of its own, so the clean synths above were checked", () => {
    const app = writeApp('probe', {
      'package.json': manifest('consumer-probe', packed.tarball, 'module'),
      'app.js': APP_SOURCE,
    });
    installOffline(app);
    expect(() => runNode(app, ['app.js'], { NAG_PROBE: '1' })).toThrow(/AwsSolutions-SQS3/);
  });
});

/** A subscriber's handler on the kit: typed per event type, run on a sample record. */
const KIT_HANDLER_SOURCE = `import { createSqsHandler, parseEvent } from '${PACKAGE}/consumer';
import type { SqsEvent, VaultConnectionCreatedEvent } from '${PACKAGE}/consumer';

const seen: string[] = [];
export const handler = createSqsHandler({
  handlers: {
    'vault.connection.created': (event: VaultConnectionCreatedEvent) => {
      seen.push(event.entity?.consumer_id ?? 'none');
    },
  },
});
const body = JSON.stringify({ event_type: 'vault.connection.created', event_id: 'e1',
  occurred_at: '2026-11-26T12:00:00.000Z', entity: { consumer_id: 'acme' } });
const event: SqsEvent = { Records: [{ messageId: 'm1', body, eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:q', attributes: {} }] };
const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 };
const response = await handler(event, context);
// Idempotency loads its chunk (Powertools and the DynamoDB client, bundled); the table cannot be
// reached here, so the record is reported for retry and its handler never runs.
const unreachable = createSqsHandler({
  handlers: { 'vault.connection.created': () => { seen.push('ran'); } },
  idempotency: { tableName: 't', clientConfig: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9',
    maxAttempts: 1, credentials: { accessKeyId: 'k', secretAccessKey: 's' } } },
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
const retried = await unreachable(event, context);
console.log(JSON.stringify({ response, retried, seen, parsed: parseEvent(body).event_id }));
`;

describe('the consumer kit in the package', () => {
  it('packs the kit, its declarations and the event schema', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'dist/consumer/index.mjs',
        'dist/consumer/index.d.ts',
        'schemas/apideck-event.schema.json',
      ]),
    );
  });

  it('type-checks a handler without @types/aws-lambda, Powertools or Node.js types, and runs it with its bundled Powertools and DynamoDB client', () => {
    const app = writeApp('kit', {
      'package.json': manifest('consumer-kit', packed.tarball, 'module'),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022'],
          strict: true,
          skipLibCheck: false,
          types: [],
          outDir: 'out',
        },
        include: ['handler.ts', 'globals.d.ts'],
      }),
      // `console` without Node.js or DOM types.
      'globals.d.ts': 'declare const console: { log(message: string): void };',
      'handler.ts': KIT_HANDLER_SOURCE,
    });
    installOffline(app);
    runNode(app, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(JSON.parse(runNode(app, ['out/handler.js']))).toEqual({
      response: { batchItemFailures: [] },
      retried: { batchItemFailures: [{ itemIdentifier: 'm1' }] },
      seen: ['acme'],
      parsed: 'e1',
    });
  });

  it('exports the JSON Schema', () => {
    const app = writeApp('schema', {
      'package.json': manifest('consumer-schema', packed.tarball, 'module'),
      'schema.js': `import schema from '${PACKAGE}/schemas/apideck-event.schema.json' with { type: 'json' };
console.log(schema.$schema);`,
    });
    installOffline(app);
    expect(runNode(app, ['schema.js']).trim()).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
