import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RECEIVER_TIMEOUT_SECONDS } from '../../lambda/contract/limits.ts';
import { optional } from './optional.ts';

/** Repository root: the handler's entry, `package-lock.json` and `tsconfig.json` live here. */
const PROJECT_ROOT = path.join(import.meta.dirname, '..', '..');

/** The function's timeout: `RECEIVER_TIMEOUT_SECONDS` in `lambda/contract/limits.ts`. */
export const RECEIVER_TIMEOUT = Duration.seconds(RECEIVER_TIMEOUT_SECONDS);

/**
 * ESM output has no `require`. The AWS SDK's ESM builds (picked by
 * `mainFields`) need none, but a CommonJS-only transitive dependency would call
 * esbuild's `__require` shim and crash at cold start, which only shows after a
 * deploy. Defining `require` from `import.meta.url` makes that case work.
 */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __apideckCreateRequire } from 'node:module'; const require = __apideckCreateRequire(import.meta.url);";

/**
 * How the handler is bundled (exported so that `npm run bench` builds its
 * floor bundle with exactly these settings).
 */
export const RECEIVER_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // The runtime's bundled SDK version drifts; shipping ours pins what was tested
  // and lets esbuild tree-shake it.
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};

export interface ReceiverFunctionProps {
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  readonly encryptionKey?: kms.IKey | undefined;
}

export interface ReceiverFunction {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/**
 * The webhook Lambda: bundled by the local esbuild (never Docker), with its own
 * role that starts empty so that every permission it has is a visible grant.
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

  const fn = new NodejsFunction(scope, 'Handler', {
    entry: path.join(PROJECT_ROOT, 'lambda', 'handler.ts'),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
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
    environment: {
      ...props.environment,
      NODE_OPTIONS: '--enable-source-maps',
    },
    description: 'Receives Apideck webhooks: HMAC check, idempotency claim, SNS fan-out',
    bundling: RECEIVER_BUNDLING,
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
