/**
 * The construct library from Python: jsii-pacmak's wheel installed beside the
 * pinned aws-cdk-lib, constructs and cdk-nag from PyPI, and a Python app
 * (./app/app.py) that builds what the ready app (bin/app.ts) builds from the
 * context below, synthesized with cdk-nag. Its template is compared with the
 * ready app's, resource by resource (./template-comparison.ts).
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { synthConsumerMirror } from './consumer-mirror.ts';
import {
  buildPythonPackage,
  cliContext,
  ensureCdkVenv,
  installPackage,
  STACK_NAME,
  type Synthesis,
  synthPythonApp,
  synthReadyApp,
} from './python-app.ts';
import {
  type CloudFormationTemplate,
  compareTemplates,
  filterResources,
  resourceCounts,
} from './template-comparison.ts';

/**
 * The ready app's options, as CDK context (`-c key=value` or cdk.json): one of
 * each kind of value (list, Duration, number, boolean, enum, string, object)
 * so each crosses the jsii boundary; app.py sets the same in code.
 */
const READY_APP_CONTEXT = {
  eventTypes: ['vault.connection.created', 'vault.connection.revoked'],
  idempotencyRetention: 'P14D',
  throttlingRateLimit: 50,
  memorySizeMiB: 512,
  webApplicationFirewall: true,
  logRetention: 90,
  alarmEmail: 'ops@example.com',
  p99LatencyAlarmThreshold: 'PT2S',
  subscriptionHealth: { appId: 'python-app', checkInterval: 'PT30M' },
};

/** Construct ids, under the stack, of what only the Python app has: its consumer and the function it feeds. */
const PYTHON_ONLY = new Set([
  'Consumer',
  'ConsumerHandler',
  'ConsumerHandlerRole',
  'ConsumerHandlerLogs',
]);

function isPythonOnly(path: string): boolean {
  return PYTHON_ONLY.has(path.split('/')[1] ?? '');
}

let bin: string;
let python: Synthesis;
let ready: Synthesis;
let mirror: CloudFormationTemplate;

beforeAll(async () => {
  const context = cliContext();
  const started = performance.now();
  const [venv, built] = await Promise.all([
    ensureCdkVenv(),
    buildPythonPackage(inject('packed').source),
  ]);
  bin = venv;
  const venvSeconds = (performance.now() - started) / 1000;
  const install = await installPackage(bin, built.wheel);
  [python, ready] = await Promise.all([
    synthPythonApp(bin, context),
    synthReadyApp({ ...context, ...READY_APP_CONTEXT }),
  ]);
  mirror = synthConsumerMirror(STACK_NAME, READY_APP_CONTEXT.eventTypes, context);
  process.stderr.write(
    `python: venv and jsii-pacmak ${venvSeconds.toFixed(1)} s (jsii-pacmak ${built.seconds.toFixed(1)} s), ` +
      `wheel install ${install.seconds.toFixed(1)} s, Python synth ${python.seconds.toFixed(1)} s, ` +
      `TypeScript synth ${ready.seconds.toFixed(1)} s\n`,
  );
});

describe('the Python app', () => {
  it('synthesizes the resources of the ready app: the same types, as many of each', () => {
    const receiverPart = filterResources(python.template, (path) => !isPythonOnly(path));
    expect(resourceCounts(receiverPart)).toEqual(resourceCounts(ready.template));
  });

  it('synthesizes the same template as the ready app, property by property', () => {
    const receiverPart = filterResources(python.template, (path) => !isPythonOnly(path));
    expect(compareTemplates(ready.template, receiverPart)).toEqual([]);
  });

  it('synthesizes the consumer the TypeScript twin of its code synthesizes, property by property', () => {
    const consumer = filterResources(python.template, isPythonOnly);
    expect(resourceCounts(consumer)).toMatchObject({
      'AWS::SQS::Queue': 2,
      'AWS::SNS::Subscription': READY_APP_CONTEXT.eventTypes.length,
      'AWS::Lambda::EventSourceMapping': 1,
    });
    expect(
      compareTemplates(
        { Resources: filterResources(mirror, isPythonOnly).Resources },
        { Resources: consumer.Resources },
      ),
    ).toEqual([]);
  });

  it('runs cdk-nag, which fails its synthesis on a finding', async () => {
    // The synthesis above would have failed on any unacknowledged finding; the probe
    // (a queue without a dead-letter queue) shows the checks really run in Python.
    await expect(synthPythonApp(bin, cliContext(), { NAG_PROBE: '1' })).rejects.toThrow(
      /AwsSolutions-SQS3/,
    );
  });

  it('is compared by a comparison that sees one changed property', () => {
    const [id, resource] = Object.entries(ready.template.Resources)[0] ?? [];
    if (id === undefined || resource === undefined) throw new Error('empty template');
    const changed = {
      ...ready.template,
      Resources: {
        ...ready.template.Resources,
        [id]: { ...resource, Properties: { ...resource.Properties, Probe: 1 } },
      },
    };
    expect(compareTemplates(ready.template, changed)).toEqual([
      { path: `Resources.${id}.Properties.Probe`, reference: undefined, candidate: 1 },
    ]);
  });
});
