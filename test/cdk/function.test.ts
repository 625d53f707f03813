import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import {
  CATCH_ALL_ROUTE,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import { HANDLER_ASSET_DIR } from '../../lib/receiver/receiver-function.ts';
import { logicalId, type Synthesized, synthStack } from './support/synth.ts';

/** API Gateway's integration timeout. */
const API_GATEWAY_TIMEOUT_SECONDS = 29;

interface FunctionJson {
  Properties: {
    Runtime: string;
    Architectures: string[];
    Timeout: number;
    MemorySize: number;
    Handler: string;
    Environment: { Variables: Record<string, unknown> };
  };
}

describe('receiver function', () => {
  let synth: Synthesized;
  let fn: FunctionJson;
  beforeAll(() => {
    synth = synthStack({}, undefined, { bundle: true });
    fn = synth.template.toJSON().Resources[logicalId(synth.stack.receiver.handler)] as FunctionJson;
  });

  it('runs Node.js 22 or newer on arm64', () => {
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
    expect(major).toBeGreaterThanOrEqual(22);
  });

  it('times out well before API Gateway gives up on it', () => {
    expect(fn.Properties.Timeout).toBeLessThanOrEqual(API_GATEWAY_TIMEOUT_SECONDS / 2);
  });

  it('has 256 MiB by default and the configured memory otherwise', () => {
    expect(fn.Properties.MemorySize).toBe(256);
    synthStack({ memorySizeMiB: 1024 }).template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
    });
  });

  it('traces actively and logs as text to its own log group with the retention', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: {
        LogFormat: 'Text',
        LogGroup: { Ref: logicalId(synth.stack.receiver.handlerLogGroup) },
      },
    });
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('gets the table, secret, retention and namespace the handler reads', () => {
    const receiver = synth.stack.receiver;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      [ENVIRONMENT.tableName]: { Ref: logicalId(receiver.table) },
      [ENVIRONMENT.signingSecretId]: { Ref: logicalId(receiver.signingSecret) },
      [ENVIRONMENT.retentionDays]: '7',
      [ENVIRONMENT.metricsNamespace]: 'ApideckWebhooks',
    });
  });

  it('sets every variable the handler reads, pinning the knobs without a prop to their defaults', () => {
    const variables = fn.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual([...Object.values(ENVIRONMENT)].sort());
    expect(variables).toMatchObject({
      [ENVIRONMENT.replayMarginHours]: String(ENVIRONMENT_DEFAULTS.replayMarginHours),
      [ENVIRONMENT.maxClockSkewSeconds]: String(ENVIRONMENT_DEFAULTS.maxClockSkewSeconds),
      [ENVIRONMENT.maxBodyBytes]: String(ENVIRONMENT_DEFAULTS.maxBodyBytes),
      [ENVIRONMENT.leaseMarginSeconds]: String(ENVIRONMENT_DEFAULTS.leaseMarginSeconds),
      [ENVIRONMENT.keyRefreshIntervalSeconds]: String(
        ENVIRONMENT_DEFAULTS.keyRefreshIntervalSeconds,
      ),
    });
  });

  it('sets no NODE_OPTIONS, so no cold start reads a source map', () => {
    expect(fn.Properties.Environment.Variables).not.toHaveProperty('NODE_OPTIONS');
  });

  it('gets TOPIC_ARNS as JSON of every routed type and the catch-all to its topic', () => {
    const resolved = synth.stack.resolve(
      fn.Properties.Environment.Variables[ENVIRONMENT.topicArns],
    );
    // Replace each { Ref } by its logical id to read the JSON as the handler would.
    const parts = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const json = parts
      .map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref))
      .join('');
    const routes = JSON.parse(json) as Record<string, string>;
    const expected = Object.fromEntries(
      [...VAULT_CONNECTION_EVENT_TYPES, CATCH_ALL_ROUTE].map((route) => [
        route,
        logicalId(synth.stack.receiver.topic(route)),
      ]),
    );
    expect(routes).toEqual(expected);
  });

  it('sets the retention days from idempotencyRetention', () => {
    const { template } = synthStack({ idempotencyRetention: Duration.days(30) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENVIRONMENT.retentionDays]: '30' }) },
    });
  });

  it("warns at synthesis when the routed types' topic ARNs may overflow Lambda's 4 KB environment", () => {
    const eventTypes = Array.from({ length: 40 }, (_, i) => `crm.resource${i}.updated`);
    const { stack } = synthStack({ eventTypes });
    Annotations.fromStack(stack).hasWarning(
      '/ApideckWebhooks/Receiver',
      Match.stringLikeRegexp('40 routed event types make TOPIC_ARNS up to'),
    );
    Annotations.fromStack(synth.stack).hasNoWarning('*', Match.stringLikeRegexp('TOPIC_ARNS'));
  });

  it('deploys the prebuilt bundle as it is: one minified ESM file with the AWS SDK inside, no map', () => {
    const outdir = synth.app.outdir;
    const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const asset = path.join(outdir, assets[0] ?? '');
    expect(readdirSync(asset)).toEqual(['index.mjs']);
    expect(fn.Properties.Handler).toBe('index.handler');
    const code = readFileSync(path.join(asset, 'index.mjs'));
    expect(code.equals(readFileSync(path.join(HANDLER_ASSET_DIR, 'index.mjs')))).toBe(true);
    const text = code.toString('utf8');
    expect(text).not.toMatch(/from\s*["']@aws-sdk\//);
    const averageLineLength = text.length / text.split('\n').length;
    expect(averageLineLength).toBeGreaterThan(1000);
    expect(text).not.toContain('sourceMappingURL');
  });
});
