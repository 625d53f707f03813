import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RECEIVER_TIMEOUT_SECONDS } from '../../lambda/contract/limits.ts';
import { optional } from './optional.ts';

/**
 * The folder of this file. The package's JavaScript is CommonJS (jsii's
 * output), where `import.meta` cannot be written, while the sources also run
 * as ES modules (tsx, for the ready app and the build), where `__dirname` does
 * not exist; V8's call site names the file in both.
 */
function thisFolder(): string {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const [site] = new Error().stack as unknown as NodeJS.CallSite[];
    const file = site?.getFileName();
    if (!file) throw new Error('the construct library cannot locate its own files');
    return path.dirname(file.startsWith('file:') ? fileURLToPath(file) : file);
  } finally {
    Error.prepareStackTrace = original;
  }
}

/**
 * This package's root: the nearest folder above with a named `package.json`,
 * from the sources or from the compiled `dist/cjs/` (whose own `package.json`
 * only marks its files as CommonJS).
 */
function packageRoot(from: string): string {
  let dir = from;
  while (!isPackageRoot(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function isPackageRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return existsSync(manifest) && 'name' in JSON.parse(readFileSync(manifest, 'utf8'));
}

const PACKAGE_ROOT = packageRoot(thisFolder());

/**
 * The handler, bundled when this package was built (`npm run build`, and before
 * every test run): the folder holds `index.mjs` only and is deployed as it is,
 * so synthesis runs neither esbuild nor Docker and deploys the bytes the tests
 * ran.
 */
export const HANDLER_ASSET_DIR = path.join(PACKAGE_ROOT, 'dist', 'handler');

/** The subscription-health function's prebuilt bundle (`lambda/subscription-health/handler.ts`). */
export const SUBSCRIPTION_HEALTH_ASSET_DIR = path.join(PACKAGE_ROOT, 'dist', 'subscription-health');

/** A prebuilt asset folder, or a synth error saying how to build it. */
export function prebuiltAsset(dir: string): lambda.AssetCode {
  if (!existsSync(path.join(dir, 'index.mjs'))) {
    throw new Error(
      `the prebuilt function is missing at ${dir}: build the package first (npm run build)`,
    );
  }
  return lambda.Code.fromAsset(dir);
}

/** The function's timeout: `RECEIVER_TIMEOUT_SECONDS` in `lambda/contract/limits.ts`. */
export const RECEIVER_TIMEOUT = Duration.seconds(RECEIVER_TIMEOUT_SECONDS);

/** What the receiver passes down to its function (already resolved from its own props). */
export interface ReceiverFunctionProps {
  /** Lambda memory, MiB. */
  readonly memorySize: number;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** The handler's variables (`lambda/contract/environment.ts`). */
  readonly environment: Readonly<Record<string, string>>;
  /** Customer managed key for the log group and the environment; AWS owned keys without. */
  readonly encryptionKey?: kms.IKey | undefined;
}

/** The function and the resources made for it alone. */
export interface ReceiverFunction {
  /** The webhook function, running the prebuilt `dist/handler/index.mjs`. */
  readonly function: lambda.Function;
  /** Its execution role: only the grants the receiver adds. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;
}

/**
 * The webhook Lambda, from the prebuilt handler asset, with its own role that
 * starts empty so that every permission it has is a visible grant.
 */
export function createReceiverFunction(
  scope: Construct,
  props: ReceiverFunctionProps,
): ReceiverFunction {
  const logGroup = new logs.LogGroup(scope, 'HandlerLogs', {
    retention: props.logRetention,
    ...optional('encryptionKey', props.encryptionKey),
    // Logs are evidence for a security review; they age out through retention.
    removalPolicy: RemovalPolicy.RETAIN,
  });

  // No AWSLambdaBasicExecutionRole: it grants writing to every log group in the
  // account, where this function only ever writes to its own.
  const role = new iam.Role(scope, 'HandlerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Apideck webhook receiver: verify, deduplicate, publish',
  });
  logGroup.grantWrite(role);

  const fn = new lambda.Function(scope, 'Handler', {
    code: prebuiltAsset(HANDLER_ASSET_DIR),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: RECEIVER_TIMEOUT,
    role,
    logGroup,
    // The handler writes its own JSON lines (logs and EMF) straight to stdout;
    // TEXT passes them through untouched, so CloudWatch reads the EMF at top level.
    loggingFormat: lambda.LoggingFormat.TEXT,
    tracing: lambda.Tracing.ACTIVE,
    ...optional('environmentEncryption', props.encryptionKey),
    // No NODE_OPTIONS=--enable-source-maps: Node.js would read and parse the
    // source map at every cold start. Stacks are mapped offline instead
    // (`npx apideck-webhooks trace-stack`, docs/performance.md).
    environment: { ...props.environment },
    description: 'Receives Apideck webhooks: HMAC check, idempotency claim, SNS fan-out',
  });

  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords, added by Tracing.ACTIVE: X-Ray has no resource-level permissions for these actions. Every other statement of this role names its resource.',
  });

  // API Gateway invokes synchronously and Apideck retries any non-2xx answer for
  // about 28 hours, so the sender is the retry queue: an async DLQ or failure
  // destination would never receive anything.
  for (const rule of ['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']) {
    Validations.of(fn).acknowledge({
      id: rule,
      reason:
        'Invoked only synchronously by API Gateway; a failed delivery is answered with a non-2xx status and retried by Apideck for ~28 hours, so there are no asynchronous events to dead-letter.',
    });
  }

  return { function: fn, role, logGroup };
}
